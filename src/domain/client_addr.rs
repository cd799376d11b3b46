//! Which address a request comes from. Directly, it is the peer of the connection. Behind a
//! reverse proxy the peer is the proxy, and the client is named in `Forwarded` (RFC 7239,
//! `for=`) or `X-Forwarded-For`; those headers are believed only when the peer is a trusted
//! proxy, and then only as far as the chain of trusted proxies reaches: the client is the
//! right-most address in the chain that is not itself a trusted proxy. Anything to its left was
//! written by the client and can be forged.

use std::net::IpAddr;

use ipnet::IpNet;

/// The proxies whose forwarding headers are believed (`BM_TRUSTED_PROXIES`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<IpNet>);

impl TrustedProxies {
    /// Comma-separated IP addresses or CIDR ranges (`10.0.0.5, 192.168.0.0/16, fd00::/8`);
    /// empty trusts nobody.
    pub fn parse(value: &str) -> Result<Self, String> {
        let mut nets = vec![];
        for item in value.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            let net = item
                .parse::<IpNet>()
                .or_else(|_| item.parse::<IpAddr>().map(IpNet::from))
                .map_err(|_| {
                    format!("`{item}` is not an IP address or a CIDR range like 10.0.0.0/8")
                })?;
            nets.push(net.trunc());
        }
        Ok(TrustedProxies(nets))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Whether `ip` is one of the trusted proxies.
    pub fn contains(&self, ip: IpAddr) -> bool {
        let ip = ip.to_canonical();
        self.0.iter().any(|n| n.contains(&ip))
    }

    /// The client address of a request from `peer` with these `Forwarded` and
    /// `X-Forwarded-For` header values (each in the order received). `Forwarded` is read when
    /// present, `X-Forwarded-For` otherwise.
    pub fn client_addr(
        &self,
        peer: IpAddr,
        forwarded: &[&str],
        x_forwarded_for: &[&str],
    ) -> IpAddr {
        let peer = peer.to_canonical();
        if !self.contains(peer) {
            return peer;
        }
        let hops: Vec<Option<IpAddr>> = if forwarded.iter().any(|v| !v.trim().is_empty()) {
            forwarded_for(forwarded)
        } else {
            x_forwarded_for
                .iter()
                .flat_map(|v| v.split(','))
                .filter(|s| !s.trim().is_empty())
                .map(node)
                .collect()
        };
        let mut client = peer;
        for hop in hops.into_iter().rev() {
            match hop {
                Some(ip) if self.contains(ip) => client = ip,
                Some(ip) => return ip,
                // A trusted proxy that could not name its client (`unknown`, an obfuscated
                // name, garbage): the client is as far as we can see, that proxy.
                None => return client,
            }
        }
        client
    }
}

/// The `for=` of each element of `Forwarded` header values, `None` where an element has none or
/// it is not an address.
fn forwarded_for(values: &[&str]) -> Vec<Option<IpAddr>> {
    values
        .iter()
        .flat_map(|v| v.split(','))
        .filter(|e| !e.trim().is_empty())
        .map(|element| {
            element
                .split(';')
                .filter_map(|pair| pair.split_once('='))
                .find(|(k, _)| k.trim().eq_ignore_ascii_case("for"))
                .and_then(|(_, v)| node(v))
        })
        .collect()
}

/// An address as a node of either header: `192.0.2.1`, `192.0.2.1:8080`, `2001:db8::1`,
/// `[2001:db8::1]:8080`, optionally quoted.
fn node(s: &str) -> Option<IpAddr> {
    let s = s.trim().trim_matches('"').trim();
    let ip = if let Some(rest) = s.strip_prefix('[') {
        rest.split_once(']')?.0.parse().ok()?
    } else if let Ok(ip) = s.parse::<IpAddr>() {
        ip
    } else {
        let (host, port) = s.rsplit_once(':')?;
        port.parse::<u16>().ok()?;
        IpAddr::V4(host.parse().ok()?)
    };
    Some(IpAddr::to_canonical(&ip))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn trusted_proxies_are_addresses_or_ranges() {
        assert!(TrustedProxies::parse("").unwrap().is_empty());
        assert!(TrustedProxies::parse(" , ").unwrap().is_empty());
        let t = TrustedProxies::parse("10.0.0.5, 192.168.0.0/16,fd00::/8,::1").unwrap();
        for (addr, trusted) in [
            ("10.0.0.5", true),
            ("10.0.0.6", false),
            ("192.168.44.1", true),
            ("fd12::1", true),
            ("::1", true),
            ("::ffff:10.0.0.5", true),
            ("8.8.8.8", false),
        ] {
            assert_eq!(t.contains(ip(addr)), trusted, "{addr}");
        }
        // A range written with host bits set still means the range.
        assert!(TrustedProxies::parse("10.1.2.3/8")
            .unwrap()
            .contains(ip("10.200.0.1")));
        for bad in [
            "10.0.0",
            "10.0.0.0/33",
            "proxy.local",
            "*",
            "10.0.0.1-10.0.0.9",
        ] {
            assert!(TrustedProxies::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_client_is_the_right_most_address_that_is_not_a_trusted_proxy() {
        let t = TrustedProxies::parse("127.0.0.1, 10.0.0.0/8").unwrap();
        let none = TrustedProxies::default();
        let peer = ip("127.0.0.1");
        for (proxies, peer, fwd, xff, expected) in [
            // Trusting nobody: the headers are ignored.
            (&none, peer, vec![], vec!["203.0.113.7"], "127.0.0.1"),
            (&none, peer, vec!["for=203.0.113.7"], vec![], "127.0.0.1"),
            // From an untrusted peer: ignored too.
            (
                &t,
                ip("198.51.100.1"),
                vec![],
                vec!["203.0.113.7"],
                "198.51.100.1",
            ),
            // Through a trusted proxy.
            (&t, peer, vec![], vec!["203.0.113.7"], "203.0.113.7"),
            (&t, peer, vec![], vec![], "127.0.0.1"),
            // A forged left part is skipped: the proxy appended the real address.
            (
                &t,
                peer,
                vec![],
                vec!["1.2.3.4, 203.0.113.7"],
                "203.0.113.7",
            ),
            (
                &t,
                peer,
                vec![],
                vec!["1.2.3.4", "203.0.113.7"],
                "203.0.113.7",
            ),
            // Through two trusted proxies.
            (
                &t,
                peer,
                vec![],
                vec!["1.2.3.4, 203.0.113.7, 10.1.1.1"],
                "203.0.113.7",
            ),
            // Every hop trusted: the left-most.
            (&t, peer, vec![], vec!["10.0.0.2, 10.0.0.3"], "10.0.0.2"),
            // Ports, brackets, quotes, IPv6.
            (&t, peer, vec![], vec!["203.0.113.7:5555"], "203.0.113.7"),
            (&t, peer, vec![], vec!["[2001:db8::1]:443"], "2001:db8::1"),
            (
                &t,
                peer,
                vec!["for=192.0.2.60;proto=http;by=203.0.113.43"],
                vec![],
                "192.0.2.60",
            ),
            (
                &t,
                peer,
                vec!["For=\"[2001:db8:cafe::17]:4711\""],
                vec![],
                "2001:db8:cafe::17",
            ),
            (
                &t,
                peer,
                vec!["for=192.0.2.43, for=198.51.100.17"],
                vec![],
                "198.51.100.17",
            ),
            (
                &t,
                peer,
                vec!["for=\"192.0.2.43:47011\""],
                vec![],
                "192.0.2.43",
            ),
            // Forwarded wins over X-Forwarded-For when both are sent.
            (
                &t,
                peer,
                vec!["for=192.0.2.60"],
                vec!["203.0.113.7"],
                "192.0.2.60",
            ),
            // A hop the proxy could not name: the proxy is the client as far as we can tell.
            (&t, peer, vec!["for=unknown"], vec![], "127.0.0.1"),
            (
                &t,
                peer,
                vec!["for=_hidden, for=10.0.0.9"],
                vec![],
                "10.0.0.9",
            ),
            (&t, peer, vec![], vec!["garbage"], "127.0.0.1"),
            (&t, peer, vec![], vec!["203.0.113.7, garbage"], "127.0.0.1"),
            (
                &t,
                ip("::ffff:127.0.0.1"),
                vec![],
                vec!["203.0.113.7"],
                "203.0.113.7",
            ),
        ] {
            assert_eq!(
                proxies.client_addr(peer, &fwd, &xff),
                ip(expected),
                "{peer} {fwd:?} {xff:?}"
            );
        }
    }
}
