// Package health runs the Argo CD health checks kept in config/argocd the way
// Argo CD runs them, so that tests can hold the scripts to the lifecycle the
// operator reports.
//
// Argo CD evaluates a custom health check with gopher-lua in a state opened
// without the Lua standard libraries (only the base, table and package
// libraries and a reduced os library), hands it the object as the global obj
// and reads back a table with status and message. Evaluate reproduces that
// sandbox, minus the os library the scripts do not use, so that a script
// that passes here does not fail in Argo CD for calling a function it lacks.
package health

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	lua "github.com/yuin/gopher-lua"
)

// Argo CD gives a script one second before it gives up on it.
const scriptTimeout = time.Second

// Result is what a health check returned: one of Argo CD's health statuses
// and a message for its user interface.
type Result struct {
	Status  string
	Message string
}

// validStatuses are the statuses Argo CD accepts from a script. Any other
// value is shown as Unknown with a message about an invalid status.
var validStatuses = map[string]bool{
	"Healthy":     true,
	"Progressing": true,
	"Degraded":    true,
	"Suspended":   true,
	"Missing":     true,
	"Unknown":     true,
}

// Evaluate runs a health check script against an object decoded from JSON,
// as Argo CD does, and returns what the script reported. It fails when the
// script fails, returns something other than a table, or returns a status
// Argo CD would reject.
func Evaluate(script string, obj map[string]any) (Result, error) {
	l := lua.NewState(lua.Options{SkipOpenLibs: true})
	defer l.Close()
	if err := openSandboxLibs(l); err != nil {
		return Result{}, err
	}

	ctx, cancel := context.WithTimeout(context.Background(), scriptTimeout)
	defer cancel()
	l.SetContext(ctx)

	l.SetGlobal("obj", ToLua(l, obj))
	if err := l.DoString(script); err != nil {
		return Result{}, fmt.Errorf("running health check: %w", err)
	}
	return readResult(l.Get(-1))
}

// openSandboxLibs opens the libraries Argo CD opens for a custom health
// check. The string, math and io libraries stay closed.
func openSandboxLibs(l *lua.LState) error {
	libs := []struct {
		name string
		open lua.LGFunction
	}{
		{lua.LoadLibName, lua.OpenPackage},
		{lua.BaseLibName, lua.OpenBase},
		{lua.TabLibName, lua.OpenTable},
	}
	for _, lib := range libs {
		err := l.CallByParam(lua.P{Fn: l.NewFunction(lib.open), Protect: true},
			lua.LString(lib.name))
		if err != nil {
			return fmt.Errorf("opening Lua library %q: %w", lib.name, err)
		}
	}
	return nil
}

// readResult reads the table a script returned. Argo CD decodes it through
// JSON, so status and message must be strings.
func readResult(v lua.LValue) (Result, error) {
	table, ok := v.(*lua.LTable)
	if !ok {
		return Result{}, fmt.Errorf("health check returned %s, not a table", v.Type())
	}
	status, ok := table.RawGetString("status").(lua.LString)
	if !ok {
		return Result{}, fmt.Errorf("health check returned no status string")
	}
	if !validStatuses[string(status)] {
		return Result{}, fmt.Errorf("health check returned status %q, which Argo CD rejects",
			string(status))
	}
	res := Result{Status: string(status)}
	switch message := table.RawGetString("message").(type) {
	case lua.LString:
		res.Message = string(message)
	case *lua.LNilType:
	default:
		return Result{}, fmt.Errorf("health check returned a %s message, not a string",
			message.Type())
	}
	return res, nil
}

// ToLua converts a value decoded from JSON into the Lua value a script sees:
// objects become tables with string keys, arrays become tables indexed from
// 1, and every number becomes a Lua number, a float. Integers as an
// unstructured object holds them are converted the same way.
func ToLua(l *lua.LState, v any) lua.LValue {
	switch v := v.(type) {
	case nil:
		return lua.LNil
	case bool:
		return lua.LBool(v)
	case string:
		return lua.LString(v)
	case float64:
		return lua.LNumber(v)
	case int64:
		return lua.LNumber(v)
	case int:
		return lua.LNumber(v)
	case json.Number:
		// Argo CD hands a json.Number over as the text of the number.
		return lua.LString(v)
	case []any:
		table := l.CreateTable(len(v), 0)
		for _, item := range v {
			table.Append(ToLua(l, item))
		}
		return table
	case map[string]any:
		table := l.CreateTable(0, len(v))
		for key, item := range v {
			table.RawSetString(key, ToLua(l, item))
		}
		return table
	}
	return lua.LNil
}
