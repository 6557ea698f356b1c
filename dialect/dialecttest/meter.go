package dialecttest

import (
	"runtime"
	"syscall"
	"testing"
	"time"
)

// Meter measures a bulk-insert benchmark per row, in the figures that a
// shared machine leaves readable: the process's CPU time (user and
// system, all goroutines, less noisy than wall time), heap allocations
// and bytes, and wall time. Start it after the setup, Stop it after the
// loop; Report adds ns/row, cpu-ns/row, allocs/row, B/row, rows/s and
// the process's peak RSS (setup included) and heap.
type Meter struct {
	rows           int
	cpu            time.Duration
	ms             runtime.MemStats
	start          time.Time
	wall           time.Duration
	mallocs, bytes uint64
	rss            int64
}

// cpuTime is the process's user and system CPU time so far, and its
// peak resident set in bytes.
func cpuTime(tb testing.TB) (time.Duration, int64) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		tb.Fatalf("getrusage: %v", err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), ru.Maxrss * 1024
}

// Start begins a measurement of rows rows in all.
func (m *Meter) Start(tb testing.TB, rows int) {
	m.rows = rows
	runtime.ReadMemStats(&m.ms)
	m.mallocs, m.bytes = m.ms.Mallocs, m.ms.TotalAlloc
	m.cpu, _ = cpuTime(tb)
	m.start = time.Now()
}

// Stop ends it.
func (m *Meter) Stop(tb testing.TB) {
	m.wall = time.Since(m.start)
	cpu, rss := cpuTime(tb)
	m.cpu, m.rss = cpu-m.cpu, rss
	runtime.ReadMemStats(&m.ms)
	m.mallocs, m.bytes = m.ms.Mallocs-m.mallocs, m.ms.TotalAlloc-m.bytes
}

// Report adds the per-row figures to b's result.
func (m *Meter) Report(b *testing.B) {
	r := float64(m.rows)
	b.ReportMetric(float64(m.wall.Nanoseconds())/r, "ns/row")
	b.ReportMetric(float64(m.cpu.Nanoseconds())/r, "cpu-ns/row")
	b.ReportMetric(float64(m.mallocs)/r, "allocs/row")
	b.ReportMetric(float64(m.bytes)/r, "B/row")
	b.ReportMetric(r/m.wall.Seconds(), "rows/s")
	b.ReportMetric(float64(m.ms.HeapSys)/(1<<20), "heap-sys-MiB")
	b.ReportMetric(float64(m.rss)/(1<<20), "peak-rss-MiB")
}
