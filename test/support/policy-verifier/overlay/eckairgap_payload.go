// Added to github.com/containers/image/v5/signature/internal by the eck-airgap test build (an -overlay file):
// the body of VerifySigstorePayload, which Debian's package replaces with an error. Written for eck-airgap from
// the documented behaviour of upstream containers/image 5.23 and sigstore's LoadVerifier (SHA-256 for the
// payload; ECDSA ASN.1 signatures, RSA PKCS#1 v1.5, Ed25519 over the raw payload); nothing here is copied.
package internal

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
)

func eckAirgapVerifySigstorePayload(publicKey crypto.PublicKey, unverifiedPayload []byte, unverifiedBase64Signature string, rules SigstorePayloadAcceptanceRules) (*UntrustedSigstorePayload, error) {
	sig, err := base64.StdEncoding.DecodeString(unverifiedBase64Signature)
	if err != nil {
		return nil, NewInvalidSignatureError(fmt.Sprintf("base64 decoding: %v", err))
	}
	sum := sha256.Sum256(unverifiedPayload)
	ok := false
	switch k := publicKey.(type) {
	case *ecdsa.PublicKey:
		ok = ecdsa.VerifyASN1(k, sum[:], sig)
	case *rsa.PublicKey:
		ok = rsa.VerifyPKCS1v15(k, crypto.SHA256, sum[:], sig) == nil
	case ed25519.PublicKey:
		ok = ed25519.Verify(k, unverifiedPayload, sig)
	default:
		return nil, fmt.Errorf("unsupported public key type %T", publicKey)
	}
	if !ok {
		return nil, NewInvalidSignatureError("cryptographic signature verification failed")
	}
	var payload UntrustedSigstorePayload
	if err := json.Unmarshal(unverifiedPayload, &payload); err != nil {
		return nil, NewInvalidSignatureError(err.Error())
	}
	if err := rules.ValidateSignedDockerManifestDigest(payload.UntrustedDockerManifestDigest); err != nil {
		return nil, err
	}
	if err := rules.ValidateSignedDockerReference(payload.UntrustedDockerReference); err != nil {
		return nil, err
	}
	return &payload, nil
}
