package simulator

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/numberport/numberport/internal/provider"
)

// TestConcurrentUse races submissions, reads, lookups and platform calls
// while the clock moves; run it with -race.
func TestConcurrentUse(t *testing.T) {
	h := newHarness(t)
	const workers = 8
	var wg sync.WaitGroup
	var mu sync.Mutex
	created := map[string]bool{}
	conflicts := 0

	for w := range workers {
		wg.Go(func() {
			for i := range 20 {
				req := request(fmt.Sprintf("key-%d", i%4), happy)
				o, err := h.sim.SubmitOrder(h.ctx, req)
				mu.Lock()
				switch {
				case err == nil:
					created[o.ID] = true
				case provider.HasCode(err, provider.CodeConflict):
					conflicts++
				default:
					t.Errorf("submit: %v", err)
				}
				mu.Unlock()
				_, _ = h.sim.Lookup(h.ctx, happy)
				_ = h.sim.StageCallFlow(h.ctx, happy, fmt.Sprintf("flow-%d", w))
				_, _ = h.sim.FindOrder(h.ctx, "key-0")
				h.clk.Step(time.Second)
			}
		})
	}
	wg.Wait()

	if h.sim.OrdersCreated() != 1 || len(created) != 1 {
		t.Fatalf("%d orders created, %d seen; want one",
			h.sim.OrdersCreated(), len(created))
	}
	if conflicts == 0 || h.sim.TotalLookupCalls() != workers*20 {
		t.Fatalf("%d conflicts, %d lookups", conflicts, h.sim.TotalLookupCalls())
	}
}
