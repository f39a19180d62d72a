package main

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// clockTicks is USER_HZ, the unit of /proc CPU times (100 on Linux).
const clockTicks = 100

// proc names another process whose CPU time a run reports.
type proc struct {
	name string
	pid  int
}

// redisProc is the redis-server this tool started (none when pid is 0).
func redisProc(pid int) []proc {
	if pid <= 0 {
		return nil
	}
	return []proc{{"redis-server", pid}}
}

// cpuSample is the CPU time used so far, in seconds: by the whole machine
// (busy), by this process, and by each of procs.
type cpuSample struct {
	at           time.Time
	busy, self   float64
	machine      bool
	procs        []proc
	procSecs     []float64
	procSampleOK []bool
}

// sampleCPU reads /proc/stat, this process's rusage and procs' /proc stat.
func sampleCPU(procs ...proc) cpuSample {
	s := cpuSample{at: time.Now(), procs: procs}
	if b, err := os.ReadFile("/proc/stat"); err == nil {
		line, _, _ := strings.Cut(string(b), "\n")
		f := strings.Fields(line)
		// cpu user nice system idle iowait irq softirq steal ...
		if len(f) > 8 && f[0] == "cpu" {
			var busy float64
			for i, v := range f[1:9] {
				n, _ := strconv.ParseFloat(v, 64)
				if i != 3 && i != 4 { // idle, iowait
					busy += n
				}
			}
			s.busy, s.machine = busy/clockTicks, true
		}
	}
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) == nil {
		s.self = tv(ru.Utime) + tv(ru.Stime)
	}
	for _, p := range procs {
		secs, ok := procCPU(p.pid)
		s.procSecs = append(s.procSecs, secs)
		s.procSampleOK = append(s.procSampleOK, ok)
	}
	return s
}

// procCPU is the CPU time (user + system) process pid has used, in seconds.
func procCPU(pid int) (float64, bool) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, false
	}
	// Fields after the command's closing parenthesis; utime and stime are
	// the 14th and 15th fields of the whole line.
	i := strings.LastIndexByte(string(b), ')')
	if i < 0 {
		return 0, false
	}
	f := strings.Fields(string(b)[i+1:])
	if len(f) < 13 {
		return 0, false
	}
	u, _ := strconv.ParseFloat(f[11], 64)
	st, _ := strconv.ParseFloat(f[12], 64)
	return (u + st) / clockTicks, true
}

func tv(t syscall.Timeval) float64 { return float64(t.Sec) + float64(t.Usec)/1e6 }

// since is what a process of start used since then, in CPU seconds.
func (start cpuSample) since(end cpuSample, i int) (float64, bool) {
	if !start.procSampleOK[i] || !end.procSampleOK[i] {
		return 0, false
	}
	return end.procSecs[i] - start.procSecs[i], true
}

// cpuSince says, in cores, how busy the machine was since start and how
// much of that was this tool, the processes it named and everything else.
func cpuSince(start cpuSample) string {
	end := sampleCPU(start.procs...)
	secs := end.at.Sub(start.at).Seconds()
	if !end.machine || !start.machine || secs <= 0 {
		return "CPU: /proc/stat not readable"
	}
	busy := (end.busy - start.busy) / secs
	self := (end.self - start.self) / secs
	out := fmt.Sprintf("CPU (cores, of %d): machine %.2f, this process %.2f", numCPU(), busy, self)
	other := busy - self
	for i, p := range start.procs {
		if used, ok := start.since(end, i); ok {
			out += fmt.Sprintf(", %s %.2f", p.name, used/secs)
			other -= used / secs
		}
	}
	return out + fmt.Sprintf(", other processes %.2f", max(0, other))
}

func numCPU() int {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0
	}
	n := 0
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, "cpu") && len(l) > 3 && l[3] >= '0' && l[3] <= '9' {
			n++
		}
	}
	return n
}

// waitQuiet waits, at most limit, until other processes use less than
// 0.2 of a core over one second, so that a measurement does not share the
// machine with someone's build; it says what it found.
func waitQuiet(ctx context.Context, limit time.Duration) string {
	deadline := time.Now().Add(limit)
	for {
		a := sampleCPU()
		select {
		case <-ctx.Done():
			return "quiet check cancelled"
		case <-time.After(time.Second):
		}
		b := sampleCPU()
		other := (b.busy - a.busy - (b.self - a.self)) / b.at.Sub(a.at).Seconds()
		if !a.machine || other < 0.2 {
			return fmt.Sprintf("machine quiet (other processes %.2f cores)", max(0, other))
		}
		if time.Now().After(deadline) {
			return fmt.Sprintf("machine NOT quiet after waiting %s: other processes use %.2f cores; figures are pessimistic", limit, other)
		}
	}
}
