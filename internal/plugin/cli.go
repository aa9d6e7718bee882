// Package plugin is the logic of the kubectl numberport plugin. It reads
// PortRequests, PhoneNumbers and their Events and prints where each port
// stands and what to do next. It only reads, and never reads Secrets: the
// objects it shows carry references to them, not their values.
package plugin

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/pflag"
)

// Options are what a run depends on besides its arguments, so that tests can
// fix the clock and the time zone of relative and absolute times.
type Options struct {
	// Stdout receives the output, Stderr the errors.
	Stdout, Stderr io.Writer
	// Now returns the instant relative times are counted from.
	Now func() time.Time
	// Location is the time zone absolute times are printed in.
	Location *time.Location
}

// errUsage marks an error in the command line, which is followed by a hint
// to read the help.
var errUsage = errors.New("usage")

// Main runs the plugin with the wall clock and the local time zone and
// returns the process exit code.
func Main(args []string, stdout, stderr io.Writer) int {
	return Run(context.Background(), args, Options{
		Stdout:   stdout,
		Stderr:   stderr,
		Now:      time.Now,
		Location: time.Local,
	})
}

// Run parses the arguments, runs the command they name and returns the exit
// code: 0 on success, 1 on any error, which is written to opts.Stderr.
func Run(ctx context.Context, args []string, opts Options) int {
	inv, err := parseArgs(args)
	if err == nil && inv.help {
		_, _ = io.WriteString(opts.Stdout, usage())
		return 0
	}
	var cmd command
	if err == nil {
		cmd, err = inv.command()
	}
	if err == nil {
		err = execute(ctx, inv, cmd, opts)
	}
	if err != nil {
		fmt.Fprintf(opts.Stderr, "error: %v\n", err)
		if errors.Is(err, errUsage) {
			fmt.Fprintln(opts.Stderr, "Run 'kubectl numberport --help' for usage.")
		}
		return 1
	}
	return 0
}

// execute connects to the cluster and runs a command. The output is built
// in memory and written only when complete, so that a failure halfway does
// not leave half a report on stdout.
func execute(ctx context.Context, inv *invocation, cmd command, opts Options) error {
	conn, err := inv.connect()
	if err != nil {
		return err
	}
	var out bytes.Buffer
	p := &printer{w: &out, now: opts.Now(), loc: opts.Location}
	if err := cmd(ctx, conn, p); err != nil {
		return err
	}
	_, err = opts.Stdout.Write(out.Bytes())
	return err
}

// invocation is the parsed command line.
type invocation struct {
	kubeconfig    string
	context       string
	namespace     string
	selector      string
	allNamespaces bool
	help          bool
	// words are the command and its arguments, flags removed.
	words []string
}

// command is one subcommand, ready to run against a cluster.
type command func(ctx context.Context, conn *connection, p *printer) error

func newFlagSet(inv *invocation) *pflag.FlagSet {
	fs := pflag.NewFlagSet("kubectl numberport", pflag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.SortFlags = false
	fs.StringVar(&inv.kubeconfig, "kubeconfig", "",
		"path to the kubeconfig file (default $KUBECONFIG, then ~/.kube/config)")
	fs.StringVar(&inv.context, "context", "", "name of the kubeconfig context to use")
	fs.StringVarP(&inv.namespace, "namespace", "n", "",
		"namespace to read (default: the namespace of the kubeconfig context)")
	fs.BoolVarP(&inv.allNamespaces, "all-namespaces", "A", false,
		"list: show the ports of every namespace")
	fs.StringVarP(&inv.selector, "selector", "l", "",
		"list: show only PortRequests whose labels match, such as team=voice")
	fs.BoolVarP(&inv.help, "help", "h", false, "show this help")
	return fs
}

// parseArgs reads flags wherever they appear, as kubectl does, so that
// `status pn main -n office` works as well as `-n office status pn main`.
func parseArgs(args []string) (*invocation, error) {
	inv := &invocation{}
	fs := newFlagSet(inv)
	if err := fs.Parse(args); err != nil {
		return nil, fmt.Errorf("%w: %v", errUsage, err)
	}
	inv.words = fs.Args()
	return inv, nil
}

// command picks the subcommand the words name and checks its arguments.
func (inv *invocation) command() (command, error) {
	if len(inv.words) == 0 {
		return nil, fmt.Errorf("%w: name a command: status or list", errUsage)
	}
	name, args := inv.words[0], inv.words[1:]
	switch name {
	case "status":
		return inv.statusCommand(args)
	case "list", "ls":
		return inv.listCommand(args)
	default:
		return nil, fmt.Errorf("%w: unknown command %q: use status or list", errUsage, name)
	}
}

func (inv *invocation) statusCommand(args []string) (command, error) {
	if inv.allNamespaces || inv.selector != "" {
		return nil, fmt.Errorf("%w: -A and -l apply to list only; status shows one object",
			errUsage)
	}
	kind, name, err := statusTarget(args)
	if err != nil {
		return nil, err
	}
	if kind == kindPortRequest {
		return func(ctx context.Context, conn *connection, p *printer) error {
			v, err := collectPortRequest(ctx, conn.client, conn.namespace, name)
			if err != nil {
				return err
			}
			p.portRequest(v)
			return nil
		}, nil
	}
	return func(ctx context.Context, conn *connection, p *printer) error {
		v, err := collectPhoneNumber(ctx, conn.client, conn.namespace, name)
		if err != nil {
			return err
		}
		p.phoneNumber(v)
		return nil
	}, nil
}

func (inv *invocation) listCommand(args []string) (command, error) {
	if len(args) > 0 {
		return nil, fmt.Errorf("%w: list takes no arguments, got %q", errUsage,
			strings.Join(args, " "))
	}
	return func(ctx context.Context, conn *connection, p *printer) error {
		ns := conn.namespace
		if inv.allNamespaces {
			ns = ""
		}
		ports, err := collectInFlight(ctx, conn.client, ns, inv.selector)
		if err != nil {
			return err
		}
		p.list(ports, ns, inv.selector)
		return nil
	}, nil
}

// Kinds the status command shows.
const (
	kindPortRequest = "PortRequest"
	kindPhoneNumber = "PhoneNumber"
)

// statusTarget reads "KIND NAME" or "KIND/NAME", accepting the kinds'
// singular, plural and short names as kubectl does.
func statusTarget(args []string) (kind, name string, err error) {
	if len(args) == 1 && strings.Contains(args[0], "/") {
		args = strings.SplitN(args[0], "/", 2)
	}
	if len(args) != 2 || args[1] == "" {
		return "", "", fmt.Errorf("%w: status needs a kind and a name, such as "+
			"'status portreq office' or 'status pn office-main'", errUsage)
	}
	switch strings.ToLower(args[0]) {
	case "portrequest", "portrequests", "portreq":
		return kindPortRequest, args[1], nil
	case "phonenumber", "phonenumbers", "pn":
		return kindPhoneNumber, args[1], nil
	}
	return "", "", fmt.Errorf("%w: status shows a portrequest (portreq) or a phonenumber "+
		"(pn), not %q", errUsage, args[0])
}

func usage() string {
	fs := newFlagSet(&invocation{})
	return `kubectl numberport shows where number ports stand and what to do next.

Usage:
  kubectl numberport status portrequest|portreq NAME [-n NAMESPACE]
  kubectl numberport status phonenumber|pn NAME [-n NAMESPACE]
  kubectl numberport list [-n NAMESPACE | -A] [-l SELECTOR]

Commands:
  status   One PortRequest or PhoneNumber: phase, conditions, timeline,
           numbers, Events and the next step.
  list     Every port in flight (not Completed, PartiallyCompleted,
           Cancelled or Failed), soonest port date first.

Flags:
` + fs.FlagUsages()
}
