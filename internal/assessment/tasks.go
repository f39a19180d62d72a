package assessment

// NumTaskAreas is the number of task areas the article lists.
const NumTaskAreas = 9

// TaskArea is one of the tasks the article says successful administrative
// professionals perform, with its description, word for word.
type TaskArea struct {
	Name        string
	Description string
}

// taskAreas are the article's "tasks performed by successful administrative
// professionals", in its order and words ("Create a Partnership with Your
// Boss", adapted there from an Office Team Report).
var taskAreas = [NumTaskAreas]TaskArea{
	{"Information Flow", "Maintaining paper and electronic files and databases as well as developing methods for organizing and retrieving information."},
	{"Communications", "Authoring and editing correspondence, and overseeing office communications tools, including voice-mail, fax machines, and e-mail."},
	{"Inventory", "Ordering, monitoring, and developing specifications for supplies, with responsibility for cost-effectiveness or purchases."},
	{"Planning", "Updating the organization’s master planning calendar and maintaining project schedules."},
	{"Logistics", "Scheduling business travel and meetings, along with planning and developing agendas."},
	{"Office Policies", "Maintaining and updating organizational policies and procedures."},
	{"Finances", "Preparing and sometimes approving vouchers and financial data, monitoring budget status."},
	{"Customer Relations", "Interacting with visitors, salespeople, customers, and members of the community."},
	{"Staff Training", "Providing procedural training to staff on equipment policies, software, and other workplace skills."},
}

// TaskAreas returns the nine task areas in the article's order.
func TaskAreas() []TaskArea { return append([]TaskArea(nil), taskAreas[:]...) }

// DistinctExpectations is the article's sentence on what defines each
// partnership, word for word: the reason a pair writes a charter.
const DistinctExpectations = "Whether you partner with one boss or multiple bosses, each partnership is defined by distinct expectations around the roles you take on and how you should go about discharging your responsibilities."

// DefineRoles is the first step from a traditional to a strategic
// partnership, word for word from "The Role of a Strategic Partner".
const DefineRoles = "Start by defining roles and expectations through a candid conversation about what you both expect from each other."
