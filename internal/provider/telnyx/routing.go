package telnyx

import (
	"context"
	"net/http"
	"net/url"

	"github.com/numberport/numberport/internal/provider"
)

// Lookup implements provider.Routing with Telnyx number lookup. The number
// routes to the platform when its SPID is one of the platform's. Telnyx
// reports no line status: InService is false only when Telnyx says the
// number is not a valid number, so a disconnected line that keeps its SPID
// reads as in service.
func (a *Adapter) Lookup(ctx context.Context, number string) (provider.Route, error) {
	const op = "routing lookup"
	q := url.Values{}
	for _, t := range a.cfg.LookupTypes {
		q.Add("type", t)
	}
	var env lookupEnvelope
	err := a.do(ctx, call{op: op, method: http.MethodGet,
		path: "/number_lookup/" + url.PathEscape(number), query: q, idempotent: true}, &env)
	if err != nil {
		return provider.Route{}, err
	}
	d := env.Data
	route := provider.Route{InService: d.ValidNumber == nil || *d.ValidNumber}
	if p := d.Portability; p != nil {
		route.SPID, route.LRN, route.Carrier = p.SPID, p.LRN, p.SPIDCarrierName
	}
	if route.Carrier == "" && d.Carrier != nil {
		route.Carrier = d.Carrier.Name
	}
	route.OnPlatform = route.SPID != "" && a.spid[route.SPID]
	return route, nil
}
