// Command guest is a Go program compiled to WebAssembly for WASI preview1
// (GOOS=wasip1 GOARCH=wasm). It uses only what WASI gives it: its
// arguments, its environment, stdout, stderr and the directory the host
// mounted at /data. It prints what it sees, writes /data/report.txt and
// shows that the rest of the host's file system does not exist for it.
//
// It avoids fmt to keep the .wasm small; strings and strconv suffice.
package main

import (
	"os"
	"runtime"
	"strconv"
	"strings"
)

func main() {
	say("hello from Go " + runtime.GOOS + "/" + runtime.GOARCH)
	say("args: " + strings.Join(os.Args, " "))
	say("env GREETING=" + os.Getenv("GREETING"))

	entries, err := os.ReadDir("/data")
	if err != nil {
		fail("read /data", err)
	}
	names := make([]string, len(entries))
	for i, e := range entries {
		names[i] = e.Name()
	}
	say("/data holds: " + strings.Join(names, ", "))

	text, err := os.ReadFile("/data/input.txt")
	if err != nil {
		fail("read /data/input.txt", err)
	}
	lines := strings.Split(strings.TrimRight(string(text), "\n"), "\n")
	words := len(strings.Fields(string(text)))
	say("/data/input.txt: " + strconv.Itoa(len(lines)) + " lines, " + strconv.Itoa(words) + " words")

	report := "Lines of input.txt, longest first, as read by the guest:\n"
	for _, l := range longestFirst(lines) {
		report += strconv.Itoa(len(l)) + "\t" + l + "\n"
	}
	if err := os.WriteFile("/data/report.txt", []byte(report), 0o644); err != nil {
		fail("write /data/report.txt", err)
	}
	say("wrote /data/report.txt")

	// Outside its mount the guest sees nothing: not /etc, and not what a
	// symbolic link in /data points to outside it (the host made one).
	for _, path := range []string{"/etc/passwd", "/data/etc-link/passwd"} {
		if _, err := os.ReadFile(path); err != nil {
			say("read " + path + ": not visible (" + errText(err) + ")")
		} else {
			say("read " + path + ": VISIBLE: the sandbox leaks")
		}
	}
}

// longestFirst returns lines sorted by length, longest first, stably (a
// small insertion sort: package sort would grow the .wasm for nothing).
func longestFirst(lines []string) []string {
	out := append([]string(nil), lines...)
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && len(out[j]) > len(out[j-1]); j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

// errText is the error's last part ("no such file or directory"), without
// the path, which Go's error already repeats.
func errText(err error) string {
	s := err.Error()
	if i := strings.LastIndex(s, ": "); i >= 0 {
		return s[i+2:]
	}
	return s
}

func say(line string) { os.Stdout.WriteString(line + "\n") }

func fail(what string, err error) {
	os.Stderr.WriteString("guest: " + what + ": " + err.Error() + "\n")
	os.Exit(1)
}
