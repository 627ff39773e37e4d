package org.auditlog.outbound;

import static java.util.Objects.requireNonNull;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.auditlog.common.Problem;

/**
 * Keeps calls to destinations a tenant named off private networks: the service's own admin port,
 * the database, cloud metadata, the office LAN. A destination is checked when it is given (a host
 * that does not resolve yet is accepted) and again at every send, where {@link #resolve} answers
 * the only addresses the connection may go to, so DNS cannot change its answer in between.
 *
 * <p>{@code outbound.allowPrivateNetworks} turns the check off; {@code outbound.allowedHosts} names
 * exceptions: a host name (exactly as written in the destination, case aside), trusted whatever it
 * resolves to, or an address or CIDR block whose private addresses are allowed. Destinations the
 * operator configures (the SMTP relay, the operational alert channels) use {@link #trusted()}.
 */
public final class OutboundGuard {
    /** Looks up a host's addresses; the system resolver in production. */
    @FunctionalInterface
    public interface HostResolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    static final String PRIVATE = "is or resolves to a private address (loopback, private network, link-local, "
            + "multicast or the like); the service sends only to public addresses";

    private final boolean allowPrivateNetworks;
    private final Set<String> allowedNames;
    private final List<AddressBlock> allowedBlocks;
    private final HostResolver resolver;

    public OutboundGuard(boolean allowPrivateNetworks, List<String> allowedHosts, HostResolver resolver) {
        this.allowPrivateNetworks = allowPrivateNetworks;
        this.resolver = requireNonNull(resolver, "resolver is null");
        List<AddressBlock> blocks = new ArrayList<>();
        for (String entry : allowedHosts) {
            if (isAddressBlock(entry)) {
                blocks.add(AddressBlock.parse(entry.trim()));
            }
        }
        this.allowedBlocks = List.copyOf(blocks);
        this.allowedNames = allowedHosts.stream().filter(entry -> !isAddressBlock(entry))
                .map(entry -> PrivateAddresses.normalize(entry.trim())).collect(Collectors.toUnmodifiableSet());
    }

    public static OutboundGuard of(OutboundConfiguration configuration) {
        return new OutboundGuard(configuration.isAllowPrivateNetworks(), configuration.getAllowedHosts(),
                InetAddress::getAllByName);
    }

    /** For destinations the operator configured: every address is allowed. */
    public static OutboundGuard trusted() {
        return new OutboundGuard(true, List.of(), InetAddress::getAllByName);
    }

    /** Whether an entry of {@code outbound.allowedHosts} is an address or CIDR block rather than a host name. */
    static boolean isAddressBlock(String entry) {
        String trimmed = entry.trim();
        try {
            AddressBlock.parse(trimmed);
            return true;
        } catch (IllegalArgumentException e) {
            if (trimmed.contains("/")) {
                throw new IllegalArgumentException("outbound.allowedHosts: not a host name, address or CIDR block: "
                        + trimmed, e);
            }
            return false;
        }
    }

    /** Whether {@code text} is an absolute http or https URL with a host, of at most 2000 characters. */
    public static boolean isHttpUrl(String text) {
        try {
            URI uri = URI.create(text);
            return (uri.getScheme() != null && (uri.getScheme().equals("http") || uri.getScheme().equals("https")))
                    && uri.getHost() != null && text.length() <= 2000;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** What is wrong with a URL's host as a destination, naming {@code field}; empty when it may be used. */
    public Optional<Problem> checkUrl(String field, URI url) {
        return host(url).flatMap(host -> checkHost(field, host));
    }

    /** What is wrong with a host as a destination, naming {@code field}; empty when it may be used. */
    public Optional<Problem> checkHost(String field, String host) {
        try {
            resolve(host);
            return Optional.empty();
        } catch (PrivateDestinationException e) {
            return Optional.of(new Problem(field, PRIVATE));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    /**
     * The addresses a connection to {@code host} may go to: all of them public, or allowed by the
     * configuration. One private address among them refuses the host, since a resolver chooses
     * among them at will.
     */
    public List<InetAddress> resolve(String host) throws UnknownHostException {
        String name = PrivateAddresses.normalize(requireNonNull(host, "host is null"));
        Optional<InetAddress> literal = PrivateAddresses.literal(name);
        if (allowPrivateNetworks || (literal.isEmpty() && allowedNames.contains(name))) {
            return literal.isPresent() ? List.of(literal.get()) : List.of(resolver.resolve(name));
        }
        if (literal.isEmpty() && PrivateAddresses.isLocalName(name)) {
            throw new PrivateDestinationException(host);
        }
        List<InetAddress> addresses = literal.isPresent() ? List.of(literal.get()) : List.of(resolver.resolve(name));
        for (InetAddress address : addresses) {
            if (PrivateAddresses.isPrivate(address) && allowedBlocks.stream().noneMatch(b -> b.contains(address))) {
                throw new PrivateDestinationException(host);
            }
        }
        return addresses;
    }

    /** The host of a URL as an HTTP client reads it, also where {@link URI#getHost()} gives up (e.g. {@code 127.1}). */
    public static Optional<String> host(URI url) {
        if (url.getHost() != null) {
            return Optional.of(url.getHost());
        }
        String authority = url.getRawAuthority();
        if (authority == null) {
            return Optional.empty();
        }
        String host = authority.substring(authority.lastIndexOf('@') + 1);
        if (host.startsWith("[")) {
            int end = host.indexOf(']');
            return end < 0 ? Optional.empty() : Optional.of(host.substring(0, end + 1));
        }
        int colon = host.lastIndexOf(':');
        host = colon < 0 ? host : host.substring(0, colon);
        return host.isEmpty() ? Optional.empty() : Optional.of(host);
    }
}
