// policy-verifier: an independent judge of eck-airgap's signatures and generated policies, built in the test
// set-up against Debian's containers/image 5.23 source (the library CRI-O, podman and skopeo use), with the two
// functions Debian disables ("Debian-local change: sigstore disabled") supplied by overlay/ (see build.ts).
//
//	policy-verifier --policy FILE [--registries-d DIR] [--insecure] SRC DST
//	policy-verifier --policy FILE [--registries-d DIR] [--insecure] --check SRC
//
// copies SRC to DST (transport:reference, e.g. docker://127.0.0.1:5000/repo@sha256:…, dir:/tmp/x) under the
// policy, every platform of an index, the way `skopeo copy --all` would; with --check, only asks the policy
// whether SRC's top manifest may run (IsRunningImageAllowed; for upstream's test fixtures, which hold no layers).
// Exit 0: the policy accepted the image; 1: refused (the library's reason on stderr); 2: bad usage.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/containers/image/v5/copy"
	"github.com/containers/image/v5/directory"
	"github.com/containers/image/v5/docker"
	"github.com/containers/image/v5/image"
	"github.com/containers/image/v5/signature"
	"github.com/containers/image/v5/types"
)

func parse(s string) (types.ImageReference, error) {
	switch {
	case strings.HasPrefix(s, "docker:"):
		return docker.ParseReference(strings.TrimPrefix(s, "docker:"))
	case strings.HasPrefix(s, "dir:"):
		return directory.NewReference(strings.TrimPrefix(s, "dir:"))
	}
	return nil, fmt.Errorf("%s: only docker: and dir: references", s)
}

func main() {
	policyPath := flag.String("policy", "", "containers-policy.json")
	registriesD := flag.String("registries-d", "", "registries.d directory")
	insecure := flag.Bool("insecure", false, "plain HTTP / no TLS verification for docker://")
	check := flag.Bool("check", false, "only evaluate the policy on SRC")
	flag.Parse()
	if *policyPath == "" || (*check && flag.NArg() != 1) || (!*check && flag.NArg() != 2) {
		fmt.Fprintln(os.Stderr, "usage: policy-verifier --policy FILE [--registries-d DIR] [--insecure] (SRC DST | --check SRC)")
		os.Exit(2)
	}
	src, err := parse(flag.Arg(0))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	sys := &types.SystemContext{SignaturePolicyPath: *policyPath, RegistriesDirPath: *registriesD}
	if *insecure {
		sys.DockerInsecureSkipTLSVerify = types.OptionalBoolTrue
	}
	policy, err := signature.NewPolicyFromFile(*policyPath)
	if err != nil {
		fmt.Fprintln(os.Stderr, "policy:", err)
		os.Exit(2)
	}
	pc, err := signature.NewPolicyContext(policy)
	if err != nil {
		fmt.Fprintln(os.Stderr, "policy context:", err)
		os.Exit(2)
	}
	defer pc.Destroy()
	if *check {
		ctx := context.Background()
		is, err := src.NewImageSource(ctx, sys)
		if err != nil {
			fmt.Fprintln(os.Stderr, "refused:", err)
			os.Exit(1)
		}
		defer is.Close()
		if _, err := pc.IsRunningImageAllowed(ctx, image.UnparsedInstance(is, nil)); err != nil {
			fmt.Fprintln(os.Stderr, "refused:", err)
			os.Exit(1)
		}
		fmt.Println("accepted")
		return
	}
	dst, err := parse(flag.Arg(1))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	_, err = copy.Image(context.Background(), pc, dst, src, &copy.Options{
		SourceCtx:          sys,
		DestinationCtx:     sys,
		ImageListSelection: copy.CopyAllImages,
		RemoveSignatures:   true,
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, "refused:", err)
		os.Exit(1)
	}
	fmt.Println("accepted")
}
