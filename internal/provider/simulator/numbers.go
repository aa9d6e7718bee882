package simulator

import (
	"context"
	"time"

	"github.com/numberport/numberport/internal/provider"
)

// PlatformState is what the platform holds for one number.
type PlatformState struct {
	// CallFlow is the attached call flow, empty when none is.
	CallFlow string
	// Active is true once the number answers with its call flow.
	Active bool
	// ActivatedAt is when the number was activated; activating it again
	// keeps the first instant. Zero while inactive.
	ActivatedAt time.Time
	// ActivatedWithoutCallFlow is true when the number was activated while
	// no call flow was attached, so calls to it find nothing configured.
	ActivatedWithoutCallFlow bool
	// Released is true once the number was given up, until it is staged
	// again.
	Released bool
	// ReleasedAt is when the number was last released.
	ReleasedAt time.Time
}

// StageCallFlow implements provider.Numbers. Staging an active number
// replaces its call flow and keeps it active.
func (s *Simulator) StageCallFlow(ctx context.Context, number, callFlow string) error {
	const op = "stage call flow"
	s.mu.Lock()
	defer s.mu.Unlock()

	if err := s.beginNumber(ctx, op, number); err != nil {
		return err
	}
	if callFlow == "" {
		return permanent(provider.CodeInvalidRequest, op, "a call flow name is required")
	}
	p := s.platformState(number)
	p.CallFlow = callFlow
	p.Released = false
	return nil
}

// Activate implements provider.Numbers. Activating a number with no call
// flow is allowed, as on a real platform, and recorded as such.
func (s *Simulator) Activate(ctx context.Context, number string) error {
	const op = "activate"
	s.mu.Lock()
	defer s.mu.Unlock()

	if err := s.beginNumber(ctx, op, number); err != nil {
		return err
	}
	p := s.platformState(number)
	if p.Active {
		return nil
	}
	p.Active = true
	p.ActivatedAt = s.now()
	p.ActivatedWithoutCallFlow = p.CallFlow == ""
	p.Released = false
	return nil
}

// Release implements provider.Numbers. It changes what the platform holds,
// not how the number routes, and frees a ported number for a new port.
func (s *Simulator) Release(ctx context.Context, number string) error {
	const op = "release"
	s.mu.Lock()
	defer s.mu.Unlock()

	if err := s.beginNumber(ctx, op, number); err != nil {
		return err
	}
	*s.platformState(number) = PlatformState{Released: true, ReleasedAt: s.now()}
	return nil
}

// beginNumber starts a call about one number. Callers hold s.mu.
func (s *Simulator) beginNumber(ctx context.Context, op, number string) error {
	if err := s.begin(ctx, op, s.now()); err != nil {
		return err
	}
	return validateNumbers(op, []string{number}, false)
}

// platformState returns the record of number, creating it. Callers hold
// s.mu.
func (s *Simulator) platformState(number string) *PlatformState {
	p := s.platform[number]
	if p == nil {
		p = &PlatformState{}
		s.platform[number] = p
	}
	return p
}
