// Package logsafe describes errors and panic values for the logs without the
// content they may quote: a frame's JSON, a reply, what someone wrote.
package logsafe

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"runtime"
	"strings"
	"syscall"

	"github.com/gorilla/websocket"
)

// Cause describes a transport or decoding error by its kind alone: "invalid
// JSON at byte 12", "connection closed", "write: broken pipe". It never
// returns the error's own text, which for a JSON error or a protocol error
// may quote the bytes it choked on; an error of a kind it does not know is
// named by its Go type.
func Cause(err error) string {
	if err == nil {
		return ""
	}
	if syntax, ok := errors.AsType[*json.SyntaxError](err); ok {
		return fmt.Sprintf("invalid JSON at byte %d", syntax.Offset)
	}
	if typ, ok := errors.AsType[*json.UnmarshalTypeError](err); ok {
		// Value is "string", "number", "number 12"…: the kind is its first word.
		kind, _, _ := strings.Cut(typ.Value, " ")
		return fmt.Sprintf("JSON %s where %s belongs, at byte %d", kind, typ.Type, typ.Offset)
	}
	if ce, ok := errors.AsType[*websocket.CloseError](err); ok {
		return fmt.Sprintf("websocket closed with code %d", ce.Code)
	}
	for _, known := range []error{
		context.Canceled, context.DeadlineExceeded, os.ErrDeadlineExceeded, net.ErrClosed,
		io.ErrUnexpectedEOF, io.EOF, websocket.ErrCloseSent, websocket.ErrReadLimit,
	} {
		if errors.Is(err, known) {
			return known.Error()
		}
	}
	if op, ok := errors.AsType[*net.OpError](err); ok {
		if errno, ok := errors.AsType[syscall.Errno](err); ok {
			return op.Op + ": " + errno.Error()
		}
		return op.Op + " failed"
	}
	return fmt.Sprintf("%T", innermost(err))
}

// Panic describes a recovered panic value: the runtime's own message for a
// runtime error (an index out of range, a nil map), the Cause of another
// error, and only the type of anything else — a panic(fmt.Sprint(…)) may
// hold whatever its caller had at hand. The stack says where it came from.
func Panic(p any) string {
	switch v := p.(type) {
	case runtime.Error:
		return v.Error()
	case error:
		return Cause(v)
	}
	return fmt.Sprintf("%T", p)
}

// WithoutURL returns err with the URL of a failed HTTP request (a
// *url.Error) left out of its message: a command's response_url or a file's
// upload URL lets whoever holds it post or upload as the bot. errors.Is and
// errors.As still see the original.
func WithoutURL(err error) error {
	ue, ok := errors.AsType[*url.Error](err)
	if !ok {
		return err
	}
	return Reworded(err, strings.Replace(err.Error(), ue.Error(), ue.Op+" (URL left out): "+ue.Err.Error(), 1))
}

// Reworded returns err with msg as its message: errors.Is and errors.As
// still see err, the logs see msg.
func Reworded(err error, msg string) error { return &reworded{msg: msg, err: err} }

type reworded struct {
	msg string
	err error
}

func (e *reworded) Error() string { return e.msg }
func (e *reworded) Unwrap() error { return e.err }

// innermost follows single Unwrap chains to the error at the bottom.
func innermost(err error) error {
	for {
		next := errors.Unwrap(err)
		if next == nil {
			return err
		}
		err = next
	}
}
