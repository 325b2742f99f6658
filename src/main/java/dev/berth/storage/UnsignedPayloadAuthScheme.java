package dev.berth.storage;

import java.util.concurrent.CompletableFuture;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.scheme.AwsV4AuthScheme;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.scheme.AuthScheme;
import software.amazon.awssdk.http.auth.spi.signer.AsyncSignRequest;
import software.amazon.awssdk.http.auth.spi.signer.AsyncSignedRequest;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignRequest;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.IdentityProvider;
import software.amazon.awssdk.identity.spi.IdentityProviders;

/**
 * SigV4 with an {@code UNSIGNED-PAYLOAD} body over plain HTTP too, as the SDK already does over HTTPS.
 *
 * <p>Over HTTP the SDK insists on signing the body: either the SHA-256 of the whole body up front, which needs the
 * body twice (impossible for a stream without buffering it), or {@code aws-chunked} signed chunks, which Swift's
 * s3api (2.30) refuses with 501. Berth checks every body itself with CRC32C or MD5, which the server verifies, so
 * the signature only has to cover the headers. The request is signed as if it went over HTTPS and sent unchanged.
 */
final class UnsignedPayloadAuthScheme implements AuthScheme<AwsCredentialsIdentity> {
    private final AwsV4AuthScheme delegate = AwsV4AuthScheme.create();
    private final HttpSigner<AwsCredentialsIdentity> signer = new Signer(delegate.signer());

    @Override
    public String schemeId() {
        return AwsV4AuthScheme.SCHEME_ID;
    }

    @Override
    public IdentityProvider<AwsCredentialsIdentity> identityProvider(IdentityProviders providers) {
        return delegate.identityProvider(providers);
    }

    @Override
    public HttpSigner<AwsCredentialsIdentity> signer() {
        return signer;
    }

    private record Signer(AwsV4HttpSigner v4) implements HttpSigner<AwsCredentialsIdentity> {
        @Override
        public SignedRequest sign(SignRequest<? extends AwsCredentialsIdentity> request) {
            SdkHttpRequest original = request.request();
            if (!"http".equals(original.protocol())) {
                return v4.sign(request);
            }
            SignRequest<? extends AwsCredentialsIdentity> asHttps = request.copy(b -> b
                    .request(original.toBuilder().protocol("https").build())
                    .putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, false));
            SignedRequest signed = v4.sign(asHttps);
            return signed.copy(b -> b.request(signed.request().toBuilder().protocol(original.protocol())
                    .port(original.port()).build()));
        }

        @Override
        public CompletableFuture<AsyncSignedRequest> signAsync(
                AsyncSignRequest<? extends AwsCredentialsIdentity> request) {
            return v4.signAsync(request); // Berth uses the synchronous client only
        }
    }
}
