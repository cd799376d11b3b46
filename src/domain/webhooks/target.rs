//! Where webhooks may be sent. By default only `https://` URLs, and never to an address inside
//! a private network or this machine (loopback, private, link-local, CGNAT, unique-local,
//! unspecified, multicast, …): a webhook must not become a way to reach internal services. The
//! URL's text is checked at registration; every address its host resolves to is checked again
//! at each delivery, and the delivery connects only to the addresses checked.
//! `BM_WEBHOOK_ALLOW_PRIVATE=true` lifts both rules (plain `http://` and private addresses), for
//! development and tests.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use url::{Host, Url};

use crate::domain::Violations;

/// The longest URL accepted.
pub const MAX_URL_LEN: usize = 2048;

/// Whether private targets are allowed (see the module).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TargetPolicy {
    pub allow_private: bool,
}

impl TargetPolicy {
    /// Why a delivery may not go to `ip`, if it may not.
    pub fn refusal(&self, ip: IpAddr) -> Option<&'static str> {
        if self.allow_private {
            return None;
        }
        non_public(ip)
    }

    /// Checks the text of a webhook URL; returns it parsed. Records `field` violations.
    pub fn check_url(&self, v: &mut Violations, field: &str, text: &str) -> Option<Url> {
        if text.len() > MAX_URL_LEN {
            v.add(
                field,
                "too_long",
                format!("at most {MAX_URL_LEN} characters"),
            );
            return None;
        }
        let Ok(url) = Url::parse(text) else {
            v.add(field, "invalid", "is not an absolute URL");
            return None;
        };
        let before = v.0.len();
        match url.scheme() {
            "https" => {}
            "http" if self.allow_private => {}
            "http" => v.add(field, "not_https", "must be an https:// URL"),
            _ => v.add(field, "invalid_scheme", "must be an https:// URL"),
        }
        if !url.username().is_empty() || url.password().is_some() {
            v.add(
                field,
                "credentials",
                "must not carry a user name or password; put a token in the path or query instead",
            );
        }
        if url.fragment().is_some() {
            v.add(field, "fragment", "must not have a #fragment");
        }
        let ip = match url.host() {
            None => {
                v.add(field, "invalid", "has no host");
                None
            }
            Some(Host::Ipv4(a)) => Some(IpAddr::V4(a)),
            Some(Host::Ipv6(a)) => Some(IpAddr::V6(a)),
            Some(Host::Domain(_)) => None,
        };
        if let Some(why) = ip.and_then(|ip| self.refusal(ip)) {
            v.add(
                field,
                "private_address",
                format!("points to {why}: webhooks go to public addresses only"),
            );
        }
        (v.0.len() == before).then_some(url)
    }
}

/// Why `ip` is not a public internet address, if it is not.
pub fn non_public(ip: IpAddr) -> Option<&'static str> {
    match ip {
        IpAddr::V4(a) => non_public_v4(a),
        IpAddr::V6(a) => match a.to_ipv4_mapped() {
            Some(v4) => non_public_v4(v4),
            None => non_public_v6(a),
        },
    }
}

fn in_v4(a: Ipv4Addr, net: [u8; 4], prefix: u8) -> bool {
    ipnet::Ipv4Net::new(Ipv4Addr::from(net), prefix).is_ok_and(|n| n.contains(&a))
}

fn non_public_v4(a: Ipv4Addr) -> Option<&'static str> {
    let reason = if a.is_unspecified() || in_v4(a, [0, 0, 0, 0], 8) {
        "an unspecified address"
    } else if a.is_loopback() {
        "a loopback address"
    } else if a.is_private() {
        "a private address"
    } else if a.is_link_local() {
        "a link-local address"
    } else if in_v4(a, [100, 64, 0, 0], 10) {
        "a shared (CGNAT) address"
    } else if a.is_multicast() || a.is_broadcast() {
        "a multicast or broadcast address"
    } else if in_v4(a, [192, 0, 0, 0], 24)
        || in_v4(a, [198, 18, 0, 0], 15)
        || in_v4(a, [240, 0, 0, 0], 4)
        || a.is_documentation()
    {
        "a reserved address"
    } else {
        return None;
    };
    Some(reason)
}

fn non_public_v6(a: Ipv6Addr) -> Option<&'static str> {
    let first = a.segments()[0];
    let reason = if a.is_unspecified() {
        "an unspecified address"
    } else if a.is_loopback() {
        "a loopback address"
    } else if first & 0xffc0 == 0xfe80 {
        "a link-local address"
    } else if first & 0xfe00 == 0xfc00 {
        "a unique local address"
    } else if a.is_multicast() {
        "a multicast or broadcast address"
    } else if first & 0xffc0 == 0xfec0
        || a.segments()[..6] == [0; 6]
        || (first == 0x2001 && a.segments()[1] == 0x0db8)
    {
        // Site-local, IPv4-compatible (::a.b.c.d) and documentation addresses.
        "a reserved address"
    } else {
        return None;
    };
    Some(reason)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_public_addresses_are_targets() {
        for (ip, public) in [
            ("93.184.216.34", true),
            ("8.8.8.8", true),
            ("127.0.0.1", false),
            ("127.8.9.10", false),
            ("10.1.2.3", false),
            ("172.16.0.1", false),
            ("172.32.0.1", true),
            ("192.168.1.1", false),
            ("169.254.169.254", false),
            ("100.64.0.1", false),
            ("100.128.0.1", true),
            ("0.0.0.0", false),
            ("224.0.0.1", false),
            ("255.255.255.255", false),
            ("2606:4700::1111", true),
            ("::1", false),
            ("::", false),
            ("fe80::1", false),
            ("fd00::1", false),
            ("fc12::1", false),
            ("ff02::1", false),
            ("::ffff:127.0.0.1", false),
            ("::ffff:10.0.0.1", false),
            ("::ffff:93.184.216.34", true),
            ("::127.0.0.1", false),
        ] {
            let ip: IpAddr = ip.parse().unwrap();
            assert_eq!(non_public(ip).is_none(), public, "{ip}");
            let open = TargetPolicy {
                allow_private: true,
            };
            assert_eq!(open.refusal(ip), None);
        }
    }

    #[test]
    fn registration_checks_the_urls_text() {
        let strict = TargetPolicy::default();
        let open = TargetPolicy {
            allow_private: true,
        };
        for (url, strict_code, open_code) in [
            ("https://hooks.example.org/bm", None, None),
            ("https://93.184.216.34:8443/x?t=1", None, None),
            ("http://hooks.example.org/bm", Some("not_https"), None),
            ("https://127.0.0.1/x", Some("private_address"), None),
            ("https://[::1]:9000/x", Some("private_address"), None),
            ("https://10.0.0.5/x", Some("private_address"), None),
            ("http://127.0.0.1:9000/x", Some("not_https"), None),
            (
                "ftp://hooks.example.org/",
                Some("invalid_scheme"),
                Some("invalid_scheme"),
            ),
            (
                "https://user:pw@hooks.example.org/",
                Some("credentials"),
                Some("credentials"),
            ),
            (
                "https://hooks.example.org/#x",
                Some("fragment"),
                Some("fragment"),
            ),
            ("hooks.example.org/bm", Some("invalid"), Some("invalid")),
            ("", Some("invalid"), Some("invalid")),
        ] {
            for (policy, expected) in [(strict, strict_code), (open, open_code)] {
                let mut v = Violations::new();
                let parsed = policy.check_url(&mut v, "url", url);
                assert_eq!(v.0.first().map(|e| e.code.as_str()), expected, "{url}");
                assert_eq!(parsed.is_some(), expected.is_none(), "{url}");
            }
        }
        let mut v = Violations::new();
        let long = format!("https://h.example.org/{}", "a".repeat(MAX_URL_LEN));
        assert!(strict.check_url(&mut v, "url", &long).is_none());
        assert_eq!(v.0[0].code, "too_long");
    }
}
