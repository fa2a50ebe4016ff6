// Command soak is weft's load and soak test: workers instantiate plugins
// and call them for a while, mixing guests that trap, run out of time,
// exit, panic in a Go host function, fail to instantiate and run to
// completion, and then everything is closed. It reports calls/s and fails
// (exit status 1) if a call was lost (started but never returned), a call
// ended in anything but its expected result or error, the C engine's live
// objects did not return to their baseline, or the resident set stayed far
// above what it was before. It is a program, not a test with timings: no
// figure is compared with a speed. See README.md.
package main

import (
	"context"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"runtime"
	"runtime/pprof"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

const (
	// samplesKept is how many unexpected outcomes of each kind are shown.
	samplesKept = 3
	// goroutineSlack is how many more goroutines than before may be left
	// once everything is closed (the runtime's own helpers come and go).
	goroutineSlack = 4
)

type options struct {
	workers   int
	duration  time.Duration
	warmup    time.Duration
	report    time.Duration
	grace     time.Duration
	rssSlack  int64
	heapSlack int64
	seed      uint64
}

func main() {
	var o options
	var slackMiB, heapSlackMiB int64
	flag.IntVar(&o.workers, "workers", 2*runtime.GOMAXPROCS(0), "goroutines making calls")
	flag.DurationVar(&o.duration, "duration", 10*time.Second, "how long the soak runs (after the warm-up)")
	flag.DurationVar(&o.warmup, "warmup", 2*time.Second, "warm-up run before the baseline is measured")
	flag.DurationVar(&o.report, "report", 10*time.Second, "interval between progress lines (0: none)")
	flag.DurationVar(&o.grace, "grace", 30*time.Second, "how long after the end calls may take to return before they count as lost")
	flag.Int64Var(&slackMiB, "rss-slack", 64, "MiB the resident set may exceed its baseline by once everything is closed")
	flag.Int64Var(&heapSlackMiB, "heap-slack", 1, "MiB the open runtimes' Go heap may grow by during the load")
	flag.Uint64Var(&o.seed, "seed", 1, "seed of the outcome mix")
	only := flag.String("only", "", "comma-separated outcomes to run (default: all)")
	flag.Parse()
	if o.workers < 1 || o.duration <= 0 || o.warmup < 0 || flag.NArg() > 0 {
		flag.Usage()
		os.Exit(2)
	}
	o.rssSlack = slackMiB << 20
	o.heapSlack = heapSlackMiB << 20
	if *only != "" {
		if err := keepOutcomes(strings.Split(*only, ",")); err != nil {
			fmt.Fprintln(os.Stderr, "soak:", err)
			os.Exit(2)
		}
	}
	if err := run(o); err != nil {
		fmt.Printf("soak: FAIL: %v\n", err)
		os.Exit(1)
	}
}

// keepOutcomes gives every outcome not in names a weight of zero.
func keepOutcomes(names []string) error {
	keep := map[string]bool{}
	for _, n := range names {
		keep[strings.TrimSpace(n)] = true
	}
	for i := range outcomes {
		if !keep[outcomes[i].name] {
			outcomes[i].weight = 0
		}
		delete(keep, outcomes[i].name)
	}
	for n := range keep {
		return fmt.Errorf("no outcome %q", n)
	}
	return nil
}

// stats counts calls by outcome.
type stats struct {
	started, finished, unexpected []atomic.Int64
	mu                            sync.Mutex
	samples                       map[int][]string
}

func newStats() *stats {
	n := len(outcomes)
	return &stats{
		started:    make([]atomic.Int64, n),
		finished:   make([]atomic.Int64, n),
		unexpected: make([]atomic.Int64, n),
		samples:    map[int][]string{},
	}
}

func (s *stats) fail(i int, err error) {
	s.unexpected[i].Add(1)
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.samples[i]) < samplesKept {
		s.samples[i] = append(s.samples[i], err.Error())
	}
}

func (s *stats) totals() (started, finished, unexpected int64) {
	for i := range outcomes {
		started += s.started[i].Load()
		finished += s.finished[i].Load()
		unexpected += s.unexpected[i].Load()
	}
	return
}

// pick chooses an outcome by weight.
func pick(rng *rand.Rand, total int) int {
	n := rng.IntN(total)
	for i, o := range outcomes {
		if n < o.weight {
			return i
		}
		n -= o.weight
	}
	return len(outcomes) - 1
}

// runOne makes one call of outcome i; a panic is an unexpected outcome.
func runOne(ctx context.Context, i int, p *plugins, rng *rand.Rand) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("panic: %v", v)
		}
	}()
	return outcomes[i].run(ctx, p, rng)
}

// phase runs the workers against p until d has passed, printing progress,
// and waits for their last calls. It returns the time taken and whether
// every worker came back within the grace period.
func phase(ctx context.Context, p *plugins, o options, d time.Duration, seed uint64, st *stats, progress bool) (time.Duration, bool) {
	total := 0
	for _, oc := range outcomes {
		total += oc.weight
	}
	start := time.Now()
	end := start.Add(d)
	var wg sync.WaitGroup
	for w := 0; w < o.workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(seed, uint64(w)))
			for time.Now().Before(end) {
				i := pick(rng, total)
				st.started[i].Add(1)
				err := runOne(ctx, i, p, rng)
				st.finished[i].Add(1)
				if err != nil {
					st.fail(i, err)
				}
			}
		}(w)
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()

	var tick <-chan time.Time
	if progress && o.report > 0 {
		t := time.NewTicker(o.report)
		defer t.Stop()
		tick = t.C
	}
	timeout := time.NewTimer(d + o.grace)
	defer timeout.Stop()
	lastCalls, lastTime := int64(0), start
	for {
		select {
		case <-done:
			return time.Since(start), true
		case <-timeout.C:
			return time.Since(start), false
		case now := <-tick:
			_, calls, _ := st.totals()
			ms, _ := readMemStatus()
			var gm runtime.MemStats
			runtime.ReadMemStats(&gm)
			fmt.Printf("progress %5.0fs  %8.0f calls/s  rss %6.1f MiB (Go heap %5.1f MiB)  live C objects %5d  goroutines %d\n",
				now.Sub(start).Seconds(), float64(calls-lastCalls)/now.Sub(lastTime).Seconds(),
				mib(ms.rss), mib(int64(gm.HeapInuse)), readLiveObjects().total(), runtime.NumGoroutine())
			lastCalls, lastTime = calls, now
		}
	}
}

func run(o options) error {
	ctx := context.Background()
	fmt.Printf("soak: %d workers (GOMAXPROCS %d), %v after a %v warm-up, seed %d\n",
		o.workers, runtime.GOMAXPROCS(0), o.duration, o.warmup, o.seed)
	var failures []string
	failf := func(format string, args ...interface{}) { failures = append(failures, fmt.Sprintf(format, args...)) }

	// Warm-up: the same load, so that code pages, Go's heap and thread
	// stacks and malloc's arenas are in use before the baseline is taken.
	warm := newStats()
	if o.warmup > 0 {
		p, err := newPlugins(ctx)
		if err != nil {
			return err
		}
		_, ok := phase(ctx, p, o, o.warmup, o.seed^0x5eed, warm, false)
		if !ok {
			return fmt.Errorf("warm-up: calls did not return within %v", o.grace)
		}
		p.close(ctx)
	}
	liveBefore := settle()
	memBefore, err := readMemStatus()
	if err != nil {
		return err
	}
	goroutinesBefore := runtime.NumGoroutine()
	peakReset := resetPeak()

	// The soak.
	st := newStats()
	p, err := newPlugins(ctx)
	if err != nil {
		return err
	}
	// What the open runtimes hold before the load and after it (workers
	// done, nothing closed yet) must match: a service never closes its
	// runtime, so what piles up in it is a leak too.
	liveOpen, heapOpen := settle(), liveHeap()
	elapsed, allBack := phase(ctx, p, o, o.duration, o.seed, st, true)
	var liveDuring liveObjects
	var heapDuring int64
	if allBack {
		liveDuring, heapDuring = settle(), liveHeap()
	} else {
		liveDuring, heapDuring = readLiveObjects(), liveHeap()
	}
	memDuring, _ := readMemStatus()
	if !allBack {
		failf("calls still running %v after the end (see the goroutine dump on stderr)", o.grace)
		pprof.Lookup("goroutine").WriteTo(os.Stderr, 1)
	} else {
		p.close(ctx)
	}
	liveAfter := settle()
	memAfter, err := readMemStatus()
	if err != nil {
		return err
	}
	goroutinesAfter := runtime.NumGoroutine()

	// Calls by outcome.
	fmt.Printf("\n%-18s %10s %10s %6s %10s %10s\n", "outcome", "started", "finished", "lost", "unexpected", "calls/s")
	for i, oc := range outcomes {
		s, f, u := st.started[i].Load(), st.finished[i].Load(), st.unexpected[i].Load()
		fmt.Printf("%-18s %10d %10d %6d %10d %10.1f\n", oc.name, s, f, s-f, u, float64(f)/elapsed.Seconds())
	}
	started, finished, unexpected := st.totals()
	ws, wf, wu := warm.totals()
	lost := started - finished + ws - wf
	unexpected += wu
	fmt.Printf("%-18s %10d %10d %6d %10d %10.1f\n", "total", started, finished, started-finished,
		unexpected-wu, float64(finished)/elapsed.Seconds())
	fmt.Printf("warm-up: %d calls, %d lost, %d unexpected\n", ws, ws-wf, wu)
	fmt.Printf("Go host calls (env.add): %d\n", p.hostAdds.Load())
	printSamples("warm-up", warm)
	printSamples("soak", st)

	// Memory and objects.
	peakWhat := "soak"
	if !peakReset {
		peakWhat = "whole process: /proc/self/clear_refs refused"
	}
	rssGrowth := memAfter.rss - memBefore.rss
	fmt.Printf("\npeak RSS (VmHWM, %s): %.1f MiB\n", peakWhat, mib(memAfter.peak))
	fmt.Printf("RSS before (warm-up done, all closed): %.1f MiB\n", mib(memBefore.rss))
	fmt.Printf("RSS at the end of the load (all open): %.1f MiB\n", mib(memDuring.rss))
	fmt.Printf("Go heap in use with the runtimes open: %.1f MiB before the load, %.1f MiB after (%+.1f MiB; tolerance +%d MiB)\n",
		mib(heapOpen), mib(heapDuring), mib(heapDuring-heapOpen), o.heapSlack>>20)
	fmt.Printf("RSS after (soak done, all closed):     %.1f MiB (%+.1f MiB; tolerance +%d MiB)\n",
		mib(memAfter.rss), mib(rssGrowth), o.rssSlack>>20)
	fmt.Printf("live C objects before: %d (%v)\n", liveBefore.total(), liveBefore)
	fmt.Printf("live C objects with the runtimes open: before the load %d (%v), after %d (%v)\n",
		liveOpen.total(), liveOpen, liveDuring.total(), liveDuring)
	fmt.Printf("live C objects after: %d (%v)\n", liveAfter.total(), liveAfter)
	fmt.Printf("goroutines before %d, after %d\n", goroutinesBefore, goroutinesAfter)

	if lost != 0 {
		failf("%d calls lost", lost)
	}
	if unexpected != 0 {
		failf("%d unexpected outcomes", unexpected)
	}
	if liveBefore.total() != 0 {
		failf("the warm-up left live C objects after closing everything: %v", liveBefore)
	}
	if d := liveDuring.withoutCaches().diff(liveOpen.withoutCaches()); d != "" && allBack {
		failf("live C objects of the open runtimes grew during the load: %s", d)
	}
	if growth := heapDuring - heapOpen; growth > o.heapSlack && allBack {
		failf("the open runtimes' Go heap grew by %.1f MiB during the load (tolerance %d MiB)", mib(growth), o.heapSlack>>20)
	}
	if d := liveAfter.diff(liveBefore); d != "" {
		failf("live C objects did not return to baseline: %s", d)
	}
	if rssGrowth > o.rssSlack {
		failf("RSS after close is %.1f MiB above before (tolerance %d MiB)", mib(rssGrowth), o.rssSlack>>20)
	}
	if goroutinesAfter > goroutinesBefore+goroutineSlack {
		failf("%d goroutines left, %d before", goroutinesAfter, goroutinesBefore)
	}
	fmt.Printf("result duration_s=%.1f workers=%d calls=%d calls_per_s=%.0f lost=%d unexpected=%d "+
		"peak_rss_mib=%.1f rss_before_mib=%.1f rss_after_mib=%.1f live_before=%d live_during=%d live_after=%d "+
		"goroutines_before=%d goroutines_after=%d heap_open_mib=%.1f heap_end_mib=%.1f live_open=%d\n",
		elapsed.Seconds(), o.workers, finished, float64(finished)/elapsed.Seconds(), lost, unexpected,
		mib(memAfter.peak), mib(memBefore.rss), mib(memAfter.rss), liveBefore.total(), liveDuring.total(),
		liveAfter.total(), goroutinesBefore, goroutinesAfter, mib(heapOpen), mib(heapDuring), liveOpen.total())
	if len(failures) > 0 {
		return fmt.Errorf("%s", strings.Join(failures, "; "))
	}
	fmt.Printf("soak: ok: %d calls in %.1fs (%.0f/s) by %d workers, 0 lost, 0 unexpected, peak RSS %.1f MiB, "+
		"RSS %.1f MiB before / %.1f MiB after close, live C objects %d -> %d\n",
		finished, elapsed.Seconds(), float64(finished)/elapsed.Seconds(), o.workers, mib(memAfter.peak),
		mib(memBefore.rss), mib(memAfter.rss), liveBefore.total(), liveAfter.total())
	return nil
}

// printSamples shows the first unexpected outcomes of each kind.
func printSamples(phase string, st *stats) {
	st.mu.Lock()
	defer st.mu.Unlock()
	keys := make([]int, 0, len(st.samples))
	for i := range st.samples {
		keys = append(keys, i)
	}
	sort.Ints(keys)
	for _, i := range keys {
		for _, s := range st.samples[i] {
			fmt.Printf("unexpected (%s) %s: %s\n", phase, outcomes[i].name, s)
		}
	}
}
