//! Which address a request came from when load balancers stand in front
//! (`TRUSTED_PROXIES`): sign-in throttling, rate limits and the audit log
//! count by it.
//!
//! `X-Forwarded-For` is read from the right: each trusted proxy appends the
//! address it received the request from, while the left end is whatever the
//! client wrote. The first entry, from the right, that is not a trusted
//! proxy is the client. Without trusted proxies the header is ignored.

use std::net::IpAddr;

/// Reads `TRUSTED_PROXIES`: addresses separated by commas or spaces.
pub fn parse_trusted(text: &str) -> Result<Vec<IpAddr>, String> {
    text.split([',', ' '])
        .map(str::trim)
        .filter(|part| !part.is_empty())
        .map(|part| {
            part.parse::<IpAddr>()
                .map_err(|_| format!("{part:?} is not an IP address"))
        })
        .collect()
}

/// The client's address: the socket's peer unless it is a trusted proxy;
/// then the nearest `X-Forwarded-For` hop that is not one. A hop that is
/// not an address stops the walk at the proxy that wrote it.
pub fn client(peer: Option<IpAddr>, forwarded_for: &[&str], trusted: &[IpAddr]) -> Option<IpAddr> {
    let mut client = peer?;
    if !trusted.contains(&client) {
        return Some(client);
    }
    let hops = forwarded_for
        .iter()
        .flat_map(|value| value.split(','))
        .map(str::trim)
        .collect::<Vec<_>>();
    for hop in hops.iter().rev() {
        match hop.parse::<IpAddr>() {
            Ok(address) => {
                client = address;
                if !trusted.contains(&address) {
                    break;
                }
            }
            Err(_) => break,
        }
    }
    Some(client)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().expect("test address")
    }

    #[test]
    fn without_trusted_proxies_the_header_is_ignored() {
        let got = client(Some(ip("203.0.113.9")), &["198.51.100.1"], &[]);
        assert_eq!(got, Some(ip("203.0.113.9")));
    }

    #[test]
    fn behind_a_trusted_balancer_the_appended_hop_is_the_client() {
        let lb = ip("10.0.0.2");
        let got = client(Some(lb), &["198.51.100.7"], &[lb]);
        assert_eq!(got, Some(ip("198.51.100.7")));
    }

    #[test]
    fn what_the_client_wrote_at_the_left_end_is_not_believed() {
        let lb = ip("10.0.0.2");
        let got = client(Some(lb), &["1.2.3.4, 198.51.100.7"], &[lb]);
        assert_eq!(got, Some(ip("198.51.100.7")));
    }

    #[test]
    fn chained_trusted_proxies_are_skipped_across_headers() {
        let (edge, lb) = (ip("10.0.0.1"), ip("10.0.0.2"));
        let got = client(Some(lb), &["198.51.100.7", "10.0.0.1"], &[edge, lb]);
        assert_eq!(got, Some(ip("198.51.100.7")));
    }

    #[test]
    fn garbage_or_no_header_leaves_the_proxy() {
        let lb = ip("10.0.0.2");
        assert_eq!(client(Some(lb), &["not-an-ip"], &[lb]), Some(lb));
        assert_eq!(client(Some(lb), &[], &[lb]), Some(lb));
        assert_eq!(client(None, &["198.51.100.7"], &[lb]), None);
    }

    #[test]
    fn the_setting_lists_addresses() {
        assert_eq!(
            parse_trusted("10.0.0.1, ::1 10.0.0.2"),
            Ok(vec![ip("10.0.0.1"), ip("::1"), ip("10.0.0.2")])
        );
        assert_eq!(parse_trusted(""), Ok(vec![]));
        assert!(parse_trusted("10.0.0.0/8").is_err());
    }
}
