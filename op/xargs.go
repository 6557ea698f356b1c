package op

import "maps"

// NewOpsWithXArgs returns an empty recorder whose revision can read x,
// the -x KEY=VALUE values of the command line (XArgs).
func NewOpsWithXArgs(x map[string]string) *Ops {
	o := NewOps()
	o.rec.x = maps.Clone(x)
	return o
}

// XArgs returns the -x KEY=VALUE values given to the command (`retort
// -x tenant=acme upgrade head`), as Alembic's
// context.get_x_argument(as_dictionary=True) does; a KEY given without
// a value maps to "". The map is a copy; it is empty when none were
// given. Offline (--sql) the values are those of the command that
// renders the script.
func (o *Ops) XArgs() map[string]string {
	out := make(map[string]string, len(o.rec.x))
	maps.Copy(out, o.rec.x)
	return out
}

// XArg returns the -x value of key, and whether it was given.
func (o *Ops) XArg(key string) (string, bool) {
	v, ok := o.rec.x[key]
	return v, ok
}
