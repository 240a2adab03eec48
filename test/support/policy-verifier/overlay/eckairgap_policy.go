// Added to github.com/containers/image/v5/signature by the eck-airgap test build (an -overlay file): the body of
// prSigstoreSigned.isSignatureAccepted, which Debian's package replaces with an error. Written for eck-airgap
// from containers-policy.json(5) and the library's own types: the key from keyPath or keyData (PEM), the
// signature from the layer's dev.cosignproject.cosign/signature annotation, the payload's digest matched against
// the image's manifest, its docker-reference against signedIdentity. Nothing here is copied.
package signature

import (
	"context"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"os"

	"github.com/containers/image/v5/internal/private"
	"github.com/containers/image/v5/internal/signature"
	"github.com/containers/image/v5/manifest"
	"github.com/containers/image/v5/signature/internal"
	digest "github.com/opencontainers/go-digest"
)

func (pr *prSigstoreSigned) eckAirgapIsSignatureAccepted(ctx context.Context, image private.UnparsedImage, sig signature.Sigstore) (signatureAcceptanceResult, error) {
	if (pr.KeyPath == "") == (pr.KeyData == nil) {
		return sarRejected, errors.New(`exactly one of "keyPath" and "keyData" must be given`)
	}
	keyPEM := pr.KeyData
	if pr.KeyPath != "" {
		d, err := os.ReadFile(pr.KeyPath)
		if err != nil {
			return sarRejected, err
		}
		keyPEM = d
	}
	block, _ := pem.Decode(keyPEM)
	if block == nil {
		return sarRejected, errors.New("parsing public key: no PEM block")
	}
	publicKey, err := x509.ParsePKIXPublicKey(block.Bytes)
	if err != nil {
		return sarRejected, fmt.Errorf("parsing public key: %w", err)
	}
	b64, ok := sig.UntrustedAnnotations()[signature.SigstoreSignatureAnnotationKey]
	if !ok {
		return sarRejected, fmt.Errorf("missing %s annotation", signature.SigstoreSignatureAnnotationKey)
	}
	payload, err := internal.VerifySigstorePayload(publicKey, sig.UntrustedPayload(), b64, internal.SigstorePayloadAcceptanceRules{
		ValidateSignedDockerReference: func(ref string) error {
			if !pr.SignedIdentity.matchesDockerReference(image, ref) {
				return PolicyRequirementError(fmt.Sprintf("Signature for identity %s is not accepted", ref))
			}
			return nil
		},
		ValidateSignedDockerManifestDigest: func(d digest.Digest) error {
			m, _, err := image.Manifest(ctx)
			if err != nil {
				return err
			}
			matches, err := manifest.MatchesDigest(m, d)
			if err != nil {
				return err
			}
			if !matches {
				return PolicyRequirementError(fmt.Sprintf("Signature for digest %s does not match", d))
			}
			return nil
		},
	})
	if err != nil {
		return sarRejected, err
	}
	if payload == nil {
		return sarRejected, errors.New("internal error: no payload")
	}
	return sarAccepted, nil
}
