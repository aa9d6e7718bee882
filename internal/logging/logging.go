// Package logging bounds what the manager may log. client-go traces API
// requests through the logger it finds in the context, and from verbosity 6
// on its traces carry request and response bodies: Secrets, and specs with
// account numbers. No flag may turn those on, so the manager's logger never
// passes messages above MaxVerbosity.
package logging

import "github.com/go-logr/logr"

// MaxVerbosity is the highest verbosity the manager logs. The operator's own
// messages stay at or below it.
const MaxVerbosity = 5

// Bounded returns a logger that drops every message more verbose than
// MaxVerbosity, whatever its sink is configured to print.
func Bounded(l logr.Logger) logr.Logger {
	if l.GetSink() == nil {
		return l
	}
	return logr.New(boundedSink{LogSink: l.GetSink()})
}

// boundedSink refuses messages above MaxVerbosity and keeps its bound through
// WithName and WithValues.
type boundedSink struct {
	logr.LogSink
}

// Enabled implements logr.LogSink.
func (s boundedSink) Enabled(level int) bool {
	return level <= MaxVerbosity && s.LogSink.Enabled(level)
}

// Info implements logr.LogSink.
func (s boundedSink) Info(level int, msg string, keysAndValues ...any) {
	if level <= MaxVerbosity {
		s.LogSink.Info(level, msg, keysAndValues...)
	}
}

// WithValues implements logr.LogSink.
func (s boundedSink) WithValues(keysAndValues ...any) logr.LogSink {
	return boundedSink{LogSink: s.LogSink.WithValues(keysAndValues...)}
}

// WithName implements logr.LogSink.
func (s boundedSink) WithName(name string) logr.LogSink {
	return boundedSink{LogSink: s.LogSink.WithName(name)}
}

// WithCallDepth keeps caller information right when the sink reports it.
func (s boundedSink) WithCallDepth(depth int) logr.LogSink {
	if cd, ok := s.LogSink.(logr.CallDepthLogSink); ok {
		return boundedSink{LogSink: cd.WithCallDepth(depth)}
	}
	return s
}
