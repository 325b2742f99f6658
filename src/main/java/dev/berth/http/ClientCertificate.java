package dev.berth.http;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.security.auth.x500.X500Principal;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Request;

/**
 * The user a request's client certificate names: the common name (CN) of its subject. The TLS handshake has
 * already checked the certificate against {@code tls.client-ca} (a connection whose certificate fails that check
 * never gets here), and a listener without client CAs never asks for one, so any certificate present is verified.
 */
final class ClientCertificate {
    private ClientCertificate() {}

    /** The CN of the verified client certificate of {@code request}'s connection; empty without one. */
    static Optional<String> user(Request request) {
        if (!(request.getAttribute(EndPoint.SslSessionData.ATTRIBUTE) instanceof EndPoint.SslSessionData tls)) {
            return Optional.empty();
        }
        X509Certificate[] chain = tls.peerCertificates();
        if (chain == null || chain.length == 0) {
            return Optional.empty();
        }
        return commonName(chain[0].getSubjectX500Principal());
    }

    /** The most specific CN of {@code subject} (the first written in {@code CN=alice,O=team}); empty without one. */
    static Optional<String> commonName(X500Principal subject) {
        try {
            List<Rdn> rdns = new LdapName(subject.getName(X500Principal.RFC2253)).getRdns();
            // LdapName lists the RDNs from the least specific (rightmost in the text) to the most specific.
            for (int i = rdns.size() - 1; i >= 0; i--) {
                Rdn rdn = rdns.get(i);
                if (rdn.getType().equalsIgnoreCase("CN") && rdn.getValue() instanceof String name && !name.isBlank()) {
                    return Optional.of(name);
                }
            }
            return Optional.empty();
        } catch (InvalidNameException e) {
            return Optional.empty();
        }
    }
}
