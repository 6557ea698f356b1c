package sqlast

import "reflect"

// walkPositions calls f with every Pos inside the typed parts of st. It
// is used by the fuzz test; reflection keeps it in step with new parts.
func walkPositions(st *Statement, f func(what string, p Pos)) {
	walkValue(reflect.ValueOf(st).Elem(), "statement", f, 0)
}

func walkValue(v reflect.Value, what string, f func(string, Pos), depth int) {
	if depth > 12 {
		return
	}
	switch v.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			walkValue(v.Elem(), what, f, depth+1)
		}
	case reflect.Struct:
		if p, ok := v.Interface().(Pos); ok {
			if p != (Pos{}) {
				f(what, p)
			}
			return
		}
		t := v.Type()
		for i := 0; i < v.NumField(); i++ {
			if t.Field(i).IsExported() && t.Field(i).Name != "Tokens" && t.Field(i).Name != "Comments" {
				walkValue(v.Field(i), t.Field(i).Name, f, depth+1)
			}
		}
	case reflect.Slice:
		for i := 0; i < v.Len(); i++ {
			walkValue(v.Index(i), what, f, depth+1)
		}
	}
}
