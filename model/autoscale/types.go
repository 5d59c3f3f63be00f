package autoscale

// Type is the static type of a formula expression.
type Type uint8

// The formula types. Double, DoubleVec, String, Timestamp and TimeInterval
// are the value types of Azure's documentation; DoubleVecList is a parameter
// kind (a comma list of doubles and doubleVecs, flattened into one
// doubleVec); Metric, Void and Invalid are internal.
const (
	TypeInvalid       Type = iota // the type of an expression that failed to check
	TypeDouble                    // 64-bit float; booleans are 1 and 0
	TypeDoubleVec                 // vector of doubles
	TypeDoubleVecList             // parameter kind: double | doubleVec, repeated, flattened
	TypeString                    // "text", or a bare deallocation option word
	TypeTimestamp                 // an instant (UTC)
	TypeTimeInterval              // a signed duration in 100 ns ticks
	TypeMetric                    // a sampled service variable; only its methods may be used
	TypeVoid                      // the result of stop()
	typeAnyTime                   // parameter kind: timestamp or timeinterval
)

var typeNames = [...]string{
	TypeInvalid:       "invalid",
	TypeDouble:        "double",
	TypeDoubleVec:     "doubleVec",
	TypeDoubleVecList: "doubleVecList",
	TypeString:        "string",
	TypeTimestamp:     "timestamp",
	TypeTimeInterval:  "timeinterval",
	TypeMetric:        "metric",
	TypeVoid:          "void",
	typeAnyTime:       "timestamp|timeinterval",
}

// String returns the type's name as the Azure documentation spells it.
func (t Type) String() string {
	if int(t) < len(typeNames) {
		return typeNames[t]
	}
	return "Type(?)"
}

// accepts reports whether an argument of type arg may be passed for a
// parameter of type param. DoubleVecList parameters are handled by the
// caller, element by element.
func (param Type) accepts(arg Type) bool {
	switch param {
	case typeAnyTime:
		return arg == TypeTimestamp || arg == TypeTimeInterval
	case TypeDoubleVecList:
		return arg == TypeDouble || arg == TypeDoubleVec
	}
	return param == arg
}
