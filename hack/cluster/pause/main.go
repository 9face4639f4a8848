// Command pause is the test cluster's pod sandbox process (containerd's
// sandbox_image) and the node container's PID 1: it blocks, reaps the
// children it inherits, and exits on SIGINT or SIGTERM. It replaces
// registry.k8s.io/pause, which cannot be pulled on an offline machine.
package main

import (
	"os"
	"os/signal"
	"syscall"
)

func main() {
	sigs := make(chan os.Signal, 16)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM, syscall.SIGCHLD)
	for sig := range sigs {
		if sig != syscall.SIGCHLD {
			os.Exit(0)
		}
		for {
			var status syscall.WaitStatus
			pid, err := syscall.Wait4(-1, &status, syscall.WNOHANG, nil)
			if pid <= 0 || err != nil {
				break
			}
		}
	}
}
