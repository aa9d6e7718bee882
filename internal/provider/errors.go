package provider

import (
	"errors"
	"fmt"
	"time"
)

// ErrorCode classifies a provider error in numberport's vocabulary.
type ErrorCode string

const (
	// CodeUnavailable means the provider could not be reached or answered
	// with a server error. Transient.
	CodeUnavailable ErrorCode = "Unavailable"
	// CodeRateLimited means the provider asked to slow down. Transient.
	CodeRateLimited ErrorCode = "RateLimited"
	// CodeNotFound means the order or number does not exist. Permanent.
	CodeNotFound ErrorCode = "NotFound"
	// CodeInvalidRequest means the provider refused the request's content.
	// Permanent: retrying the same request cannot succeed.
	CodeInvalidRequest ErrorCode = "InvalidRequest"
	// CodeUnauthorized means the provider refused the credentials.
	// Permanent until the credentials change.
	CodeUnauthorized ErrorCode = "Unauthorized"
	// CodeCancelRefused means the provider refused to cancel an order,
	// usually because its port date is too close. Permanent.
	CodeCancelRefused ErrorCode = "CancelRefused"
	// CodeConflict means the request conflicts with the provider's state,
	// such as a number already in another active order. Permanent.
	CodeConflict ErrorCode = "Conflict"
)

// Error is an error reported by a provider adapter. Transient errors may
// succeed when retried; permanent ones need something to change first.
type Error struct {
	// Code classifies the error.
	Code ErrorCode
	// Op is the operation that failed, such as "submit order".
	Op string
	// Message explains the error. It never holds secret values.
	Message string
	// RetryAfter is the provider's hint of when to retry, zero when none.
	RetryAfter time.Duration
	// Err is the underlying error, if any.
	Err error
}

// Error implements error.
func (e *Error) Error() string {
	msg := fmt.Sprintf("%s: %s", e.Op, e.Code)
	if e.Message != "" {
		msg += ": " + e.Message
	}
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

// Unwrap returns the underlying error.
func (e *Error) Unwrap() error { return e.Err }

// Transient reports whether retrying the same call may succeed.
func (e *Error) Transient() bool {
	return e.Code == CodeUnavailable || e.Code == CodeRateLimited
}

// IsTransient reports whether err is a provider error that may succeed when
// retried. Errors that are not provider errors, such as a cancelled context
// or a network failure an adapter did not classify, count as transient: only
// an adapter can say a failure is permanent.
func IsTransient(err error) bool {
	if err == nil {
		return false
	}
	var pe *Error
	if errors.As(err, &pe) {
		return pe.Transient()
	}
	return true
}

// IsPermanent reports whether err is a provider error that retrying cannot
// fix.
func IsPermanent(err error) bool {
	return err != nil && !IsTransient(err)
}

// IsNotFound reports whether err says the order or number does not exist.
func IsNotFound(err error) bool {
	return HasCode(err, CodeNotFound)
}

// HasCode reports whether err is a provider error with the given code.
func HasCode(err error, code ErrorCode) bool {
	var pe *Error
	return errors.As(err, &pe) && pe.Code == code
}

// RetryAfter returns the provider's retry hint carried by err, zero when
// there is none.
func RetryAfter(err error) time.Duration {
	var pe *Error
	if errors.As(err, &pe) {
		return pe.RetryAfter
	}
	return 0
}
