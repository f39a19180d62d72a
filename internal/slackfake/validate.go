package slackfake

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"unicode/utf8"
)

// MaxMessageText is where Slack truncates a message's text (it answers ok
// and keeps the first 40,000 characters); the fake does the same and
// records a problem, so that a test notices.
const MaxMessageText = 40000

// Block Kit limits the fake enforces.
const (
	MaxModalTitle        = 24
	MaxModalButton       = 24 // submit and close
	MaxViewBlocks        = 100
	MaxMessageBlocks     = 50
	MaxCallbackID        = 255
	MaxPrivateMetadata   = 3000
	MaxExternalID        = 255
	MaxBlockID           = 255
	MaxActionID          = 255
	MaxRadioOptions      = 10
	MaxCheckboxOptions   = 10
	MaxSelectOptions     = 100
	MaxOverflowOptions   = 5
	MaxInputLabel        = 2000
	MaxHint              = 2000
	MaxTextInputLength   = 3000
	MaxSectionText       = 3000
	MaxSectionFields     = 10
	MaxSectionFieldText  = 2000
	MaxHeaderText        = 150
	MaxButtonText        = 75
	MaxButtonValue       = 2000
	MaxURL               = 3000
	MaxActionsElements   = 25
	MaxContextElements   = 10
	MaxOptionText        = 75
	MaxOptionValue       = 150
	MaxOptionDescription = 75
	MaxPlaceholder       = 150
	MaxAltText           = 2000
)

// decodeJSON decodes b into generic values, keeping numbers as json.Number.
func decodeJSON(b []byte) (any, error) {
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return nil, err
	}
	return v, nil
}

func decodeObject(b []byte) (map[string]any, error) {
	v, err := decodeJSON(b)
	if err != nil {
		return nil, err
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("not a JSON object")
	}
	return m, nil
}

func mustMarshal(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("slackfake: marshal: %v", err)) // only generic JSON values reach here
	}
	return b
}

type checker struct {
	where    string
	problems []string
	blockIDs map[string]bool
	inputs   int
}

func newChecker(where string) *checker {
	return &checker{where: where, blockIDs: map[string]bool{}}
}

func (c *checker) addf(path, format string, args ...any) {
	c.problems = append(c.problems, fmt.Sprintf("%s: %s: %s", c.where, path, fmt.Sprintf(format, args...)))
}

func runes(s string) int { return utf8.RuneCountInString(s) }

func (c *checker) maxString(path string, v any, maxLen int) string {
	if v == nil {
		return ""
	}
	s, ok := v.(string)
	if !ok {
		c.addf(path, "must be a string")
		return ""
	}
	if n := runes(s); n > maxLen {
		c.addf(path, "%d characters, max %d", n, maxLen)
	}
	return s
}

// text checks a composition text object.
func (c *checker) text(path string, v any, required, plainOnly bool, maxLen int) string {
	if v == nil {
		if required {
			c.addf(path, "required")
		}
		return ""
	}
	m, ok := v.(map[string]any)
	if !ok {
		c.addf(path, "must be a text object")
		return ""
	}
	switch typ, _ := m["type"].(string); typ {
	case "plain_text":
	case "mrkdwn":
		if plainOnly {
			c.addf(path+".type", "must be plain_text, got mrkdwn")
		}
	default:
		c.addf(path+".type", "must be plain_text or mrkdwn, got %q", typ)
	}
	t, ok := m["text"].(string)
	if !ok || t == "" {
		c.addf(path+".text", "must be a non-empty string")
		return ""
	}
	if n := runes(t); maxLen > 0 && n > maxLen {
		c.addf(path+".text", "%d characters, max %d", n, maxLen)
	}
	return t
}

func (c *checker) array(path string, v any, minLen, maxLen int, what string) []any {
	if v == nil {
		if minLen > 0 {
			c.addf(path, "required")
		}
		return nil
	}
	arr, ok := v.([]any)
	if !ok {
		c.addf(path, "must be an array")
		return nil
	}
	if len(arr) < minLen {
		c.addf(path, "%d %s, min %d", len(arr), what, minLen)
	}
	if maxLen > 0 && len(arr) > maxLen {
		c.addf(path, "%d %s, max %d", len(arr), what, maxLen)
	}
	return arr
}

func (c *checker) blocks(path string, v any, maxBlocks int) []any {
	arr := c.array(path, v, 0, maxBlocks, "blocks")
	for i, b := range arr {
		c.block(fmt.Sprintf("%s[%d]", path, i), b)
	}
	return arr
}

func (c *checker) block(path string, v any) {
	m, ok := v.(map[string]any)
	if !ok {
		c.addf(path, "must be an object")
		return
	}
	typ, _ := m["type"].(string)
	if typ == "" {
		c.addf(path+".type", "required")
		return
	}
	if raw, ok := m["block_id"]; ok {
		id, isStr := raw.(string)
		switch {
		case !isStr || id == "":
			c.addf(path+".block_id", "must be a non-empty string")
		case c.blockIDs[id]:
			c.addf(path+".block_id", "duplicate block_id %q", id)
		default:
			c.maxString(path+".block_id", id, MaxBlockID)
			c.blockIDs[id] = true
		}
	}
	switch typ {
	case "section":
		hasText, hasFields := m["text"] != nil, m["fields"] != nil
		if hasText {
			c.text(path+".text", m["text"], true, false, MaxSectionText)
		}
		if hasFields {
			for i, f := range c.array(path+".fields", m["fields"], 1, MaxSectionFields, "fields") {
				c.text(fmt.Sprintf("%s.fields[%d]", path, i), f, true, false, MaxSectionFieldText)
			}
		}
		if !hasText && !hasFields {
			c.addf(path, "a section needs text or fields")
		}
		if acc := m["accessory"]; acc != nil {
			c.element(path+".accessory", acc)
		}
	case "header":
		c.text(path+".text", m["text"], true, true, MaxHeaderText)
	case "actions":
		for i, e := range c.array(path+".elements", m["elements"], 1, MaxActionsElements, "elements") {
			c.element(fmt.Sprintf("%s.elements[%d]", path, i), e)
		}
	case "context":
		c.array(path+".elements", m["elements"], 1, MaxContextElements, "elements")
	case "input":
		c.inputs++
		c.text(path+".label", m["label"], true, true, MaxInputLabel)
		if m["hint"] != nil {
			c.text(path+".hint", m["hint"], true, true, MaxHint)
		}
		if m["element"] == nil {
			c.addf(path+".element", "required")
		} else {
			c.element(path+".element", m["element"])
		}
	case "image":
		c.maxString(path+".alt_text", m["alt_text"], MaxAltText)
		c.maxString(path+".image_url", m["image_url"], MaxURL)
		if m["alt_text"] == nil {
			c.addf(path+".alt_text", "required")
		}
		if m["image_url"] == nil && m["slack_file"] == nil {
			c.addf(path, "an image needs image_url or slack_file")
		}
	}
}

func (c *checker) element(path string, v any) {
	m, ok := v.(map[string]any)
	if !ok {
		c.addf(path, "must be an object")
		return
	}
	typ, _ := m["type"].(string)
	if typ == "" {
		c.addf(path+".type", "required")
		return
	}
	c.maxString(path+".action_id", m["action_id"], MaxActionID)
	if m["placeholder"] != nil {
		c.text(path+".placeholder", m["placeholder"], true, true, MaxPlaceholder)
	}
	optionsMax := 0
	plainOptions := true
	switch typ {
	case "button":
		c.text(path+".text", m["text"], true, true, MaxButtonText)
		c.maxString(path+".value", m["value"], MaxButtonValue)
		c.maxString(path+".url", m["url"], MaxURL)
		if st, ok := m["style"].(string); ok && st != "primary" && st != "danger" {
			c.addf(path+".style", "must be primary or danger, got %q", st)
		}
	case "radio_buttons":
		optionsMax, plainOptions = MaxRadioOptions, false
	case "checkboxes":
		optionsMax, plainOptions = MaxCheckboxOptions, false
	case "static_select", "multi_static_select":
		optionsMax = MaxSelectOptions
		if m["options"] == nil && m["option_groups"] == nil {
			c.addf(path, "a static select needs options or option_groups")
		}
	case "overflow":
		optionsMax = MaxOverflowOptions
	case "plain_text_input":
		maxLen, hasMax := c.intField(path+".max_length", m["max_length"])
		minLen, hasMin := c.intField(path+".min_length", m["min_length"])
		if hasMax && (maxLen < 1 || maxLen > MaxTextInputLength) {
			c.addf(path+".max_length", "%d, must be 1..%d", maxLen, MaxTextInputLength)
		}
		if hasMin && (minLen < 0 || minLen > MaxTextInputLength) {
			c.addf(path+".min_length", "%d, must be 0..%d", minLen, MaxTextInputLength)
		}
		if hasMin && hasMax && minLen > maxLen {
			c.addf(path, "min_length %d > max_length %d", minLen, maxLen)
		}
	}
	if optionsMax == 0 {
		return
	}
	values := map[string]bool{}
	opts := c.options(path+".options", m["options"], optionsMax, plainOptions, values)
	if groups, ok := m["option_groups"].([]any); ok {
		if len(groups) > optionsMax {
			c.addf(path+".option_groups", "%d groups, max %d", len(groups), optionsMax)
		}
		for i, g := range groups {
			gm, _ := g.(map[string]any)
			opts += c.options(fmt.Sprintf("%s.option_groups[%d].options", path, i), gm["options"], optionsMax, true, values)
		}
	}
	if opts == 0 && (typ == "radio_buttons" || typ == "checkboxes" || typ == "overflow") {
		c.addf(path+".options", "required")
	}
	checkInitial := func(key string, o any) {
		om, _ := o.(map[string]any)
		if val, _ := om["value"].(string); !values[val] {
			c.addf(path+"."+key, "value %q is not one of the options", val)
		}
	}
	if io := m["initial_option"]; io != nil {
		checkInitial("initial_option", io)
	}
	if ios, ok := m["initial_options"].([]any); ok {
		for _, o := range ios {
			checkInitial("initial_options", o)
		}
	}
}

func (c *checker) options(path string, v any, maxOpts int, plainOnly bool, values map[string]bool) int {
	if v == nil {
		return 0
	}
	arr := c.array(path, v, 0, maxOpts, "options")
	for i, o := range arr {
		p := fmt.Sprintf("%s[%d]", path, i)
		om, ok := o.(map[string]any)
		if !ok {
			c.addf(p, "must be an object")
			continue
		}
		c.text(p+".text", om["text"], true, plainOnly, MaxOptionText)
		val, _ := om["value"].(string)
		if val == "" {
			c.addf(p+".value", "must be a non-empty string")
		}
		c.maxString(p+".value", om["value"], MaxOptionValue)
		if values[val] {
			c.addf(p+".value", "duplicate option value %q", val)
		}
		values[val] = true
		if om["description"] != nil {
			c.text(p+".description", om["description"], true, false, MaxOptionDescription)
		}
	}
	return len(arr)
}

func (c *checker) intField(path string, v any) (int, bool) {
	if v == nil {
		return 0, false
	}
	n, ok := v.(json.Number)
	if !ok {
		c.addf(path, "must be a number")
		return 0, false
	}
	i, err := strconv.Atoi(n.String())
	if err != nil {
		c.addf(path, "must be an integer")
		return 0, false
	}
	return i, true
}

// validateView checks a modal (kind "modal") or Home tab (kind "home")
// view object and returns the broken rules.
func validateView(where, kind string, view map[string]any) []string {
	c := newChecker(where)
	if typ, _ := view["type"].(string); typ != kind {
		c.addf("view.type", "must be %q, got %q", kind, typ)
	}
	c.maxString("view.callback_id", view["callback_id"], MaxCallbackID)
	c.maxString("view.private_metadata", view["private_metadata"], MaxPrivateMetadata)
	c.maxString("view.external_id", view["external_id"], MaxExternalID)
	if view["blocks"] == nil {
		c.addf("view.blocks", "required")
	}
	c.blocks("view.blocks", view["blocks"], MaxViewBlocks)
	if kind == "modal" {
		c.text("view.title", view["title"], true, true, MaxModalTitle)
		if view["submit"] != nil {
			c.text("view.submit", view["submit"], true, true, MaxModalButton)
		}
		if view["close"] != nil {
			c.text("view.close", view["close"], true, true, MaxModalButton)
		}
		if c.inputs > 0 && view["submit"] == nil {
			c.addf("view.submit", "required when the view has input blocks")
		}
	}
	return c.problems
}

// truncateText cuts a message's text at MaxMessageText characters, as Slack
// does, and says so.
func truncateText(where, text string) (string, []string) {
	n := utf8.RuneCountInString(text)
	if n <= MaxMessageText {
		return text, nil
	}
	return string([]rune(text)[:MaxMessageText]), []string{fmt.Sprintf("%s: text: %d characters, over %d: Slack truncates it", where, n, MaxMessageText)}
}

// validateMessage checks a message's content and returns the broken rules
// and the error Slack would answer ("" if none).
func validateMessage(where, text string, blocks any, hasAttachments bool) ([]string, string) {
	c := newChecker(where)
	arr := c.blocks("blocks", blocks, MaxMessageBlocks)
	if len(c.problems) > 0 {
		return c.problems, "invalid_blocks"
	}
	if text == "" && len(arr) == 0 && !hasAttachments {
		c.addf("message", "needs text or blocks")
		return c.problems, "no_text"
	}
	return nil, ""
}

// assignIDs gives blocks without block_id, and interactive elements without
// action_id, generated ids, as Slack does when it stores a view or message.
func assignIDs(blocks []any) {
	for _, b := range blocks {
		m, ok := b.(map[string]any)
		if !ok {
			continue
		}
		if _, ok := m["block_id"]; !ok {
			m["block_id"] = randHex(5)
		}
		var elems []any
		switch m["type"] {
		case "actions":
			elems, _ = m["elements"].([]any)
		case "section":
			if m["accessory"] != nil {
				elems = []any{m["accessory"]}
			}
		case "input":
			if m["element"] != nil {
				elems = []any{m["element"]}
			}
		}
		for _, e := range elems {
			if em, ok := e.(map[string]any); ok {
				if _, ok := em["action_id"]; !ok && em["type"] != "image" {
					em["action_id"] = randHex(5)
				}
			}
		}
	}
}

type inputInfo struct {
	actionID, elemType string
	optional           bool
	// initial is the state the element starts with (its initial_value,
	// initial_option …), which Slack submits unless the user changes it;
	// nil when it starts empty.
	initial map[string]any
}

// initialState is what Slack's client submits for an element the user did
// not touch: its initial value, in the shape of a view_submission's state.
func initialState(el map[string]any) map[string]any {
	typ, _ := el["type"].(string)
	v := map[string]any{"type": typ}
	for from, to := range map[string]string{
		"initial_value": "value", "initial_option": "selected_option", "initial_options": "selected_options",
		"initial_date": "selected_date", "initial_time": "selected_time", "initial_user": "selected_user",
		"initial_users": "selected_users", "initial_conversation": "selected_conversation", "initial_channel": "selected_channel",
	} {
		if x, ok := el[from]; ok && x != nil && x != "" {
			v[to] = x
		}
	}
	if len(v) == 1 {
		return nil
	}
	return v
}

// inputBlocks maps the block_id of every input block to its element.
func inputBlocks(blocks []any) map[string]inputInfo {
	out := map[string]inputInfo{}
	for _, b := range blocks {
		m, _ := b.(map[string]any)
		if m["type"] != "input" {
			continue
		}
		id, _ := m["block_id"].(string)
		el, _ := m["element"].(map[string]any)
		info := inputInfo{}
		info.actionID, _ = el["action_id"].(string)
		info.elemType, _ = el["type"].(string)
		info.optional, _ = m["optional"].(bool)
		info.initial = initialState(el)
		out[id] = info
	}
	return out
}

// findElement finds the interactive element with actionID (in the block
// blockID, if not empty) and returns its block's id and the element.
func findElement(blocks []any, actionID, blockID string) (string, map[string]any, bool) {
	for _, b := range blocks {
		m, _ := b.(map[string]any)
		id, _ := m["block_id"].(string)
		if blockID != "" && id != blockID {
			continue
		}
		var elems []any
		switch m["type"] {
		case "actions":
			elems, _ = m["elements"].([]any)
		case "section":
			elems = []any{m["accessory"]}
		case "input":
			elems = []any{m["element"]}
		}
		for _, e := range elems {
			em, _ := e.(map[string]any)
			if aid, _ := em["action_id"].(string); aid == actionID && aid != "" {
				return id, em, true
			}
		}
	}
	return "", nil, false
}

// prune removes zero values ("" , 0, false, null, empty arrays and objects)
// from a generic JSON value, so a marshalled Go struct looks like the sparse
// objects Slack sends.
func prune(v any) (any, bool) {
	switch x := v.(type) {
	case nil:
		return nil, false
	case string:
		return x, x != ""
	case bool:
		return x, x
	case json.Number:
		return x, x.String() != "0"
	case float64:
		return x, x != 0
	case []any:
		var out []any
		for _, e := range x {
			if p, ok := prune(e); ok {
				out = append(out, p)
			}
		}
		return out, len(out) > 0
	case map[string]any:
		out := map[string]any{}
		for k, e := range x {
			if p, ok := prune(e); ok {
				out[k] = p
			}
		}
		return out, len(out) > 0
	default:
		return x, true
	}
}
