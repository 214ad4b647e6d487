//! The board's route rating (DESIGN.md §6, issue #12), as pure arithmetic.
//!
//! rating = (m·C + Σ wᵢ·sᵢ) / (m + Σ wᵢ)
//!
//! - C is the board mean (every visible review's overall score, weighted as
//!   below), m = [`PRIOR_WEIGHT`] reviews' worth of it;
//! - a review's weight wᵢ = 2^(−ageᵢ / [`HALF_LIFE_DAYS`]): it halves every six months;
//! - no company carries more than [`COMPANY_SHARE`] of a route's review
//!   weight: heavier companies are cut to a common level; when fewer than
//!   five companies reviewed the route, a filler at the board mean makes up
//!   the rest, so one company's reviews never decide more than a fifth.
//!
//! Weights are stored at the scale of [`epoch`] (2^(days since epoch / half
//! life)): every weight shrinks by the same factor as time passes, so shares
//! and weighted means never change and stored sums never need rewriting; only
//! the blend with the prior uses the factor of "now" ([`decay_since_epoch`]).

use chrono::{NaiveDate, NaiveDateTime};

/// m: how many fresh reviews' worth of the board mean a route starts with.
pub const PRIOR_WEIGHT: f64 = 5.0;
/// A review's weight halves every six months.
pub const HALF_LIFE_DAYS: f64 = 182.5;
/// At most this share of a route's review weight comes from one company.
pub const COMPANY_SHARE: f64 = 0.20;
/// The board mean before anyone has reviewed anything.
pub const DEFAULT_BOARD_MEAN: f64 = 4.0;
/// Below this many reviews for a destination, the board says "too few
/// reviews" instead of a route × country rating.
pub const MIN_COUNTRY_REVIEWS: i64 = 5;
/// From this many deliveries to a destination on, order entry and `/rates`
/// show the measured median–p90 days instead of the nominal transit time.
pub const MIN_MEASURED_DELIVERIES: i64 = 20;

/// The day stored weights are scaled to.
pub fn epoch() -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 1, 1)
        .and_then(|day| day.and_hms_opt(0, 0, 0))
        .unwrap_or_default()
}

fn days_since_epoch(at: NaiveDateTime) -> f64 {
    (at - epoch()).num_seconds() as f64 / 86_400.0
}

/// A review written at `at`, weighted at the scale of [`epoch`].
pub fn epoch_weight(at: NaiveDateTime) -> f64 {
    (days_since_epoch(at) / HALF_LIFE_DAYS).exp2()
}

/// The factor that turns epoch-scale weights into weights as of `now`.
pub fn decay_since_epoch(now: NaiveDateTime) -> f64 {
    (-days_since_epoch(now) / HALF_LIFE_DAYS).exp2()
}

/// One company's reviews of a route: Σw and Σw·s at epoch scale.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Sums {
    pub weight: f64,
    pub weighted_score: f64,
}

impl Sums {
    pub fn of(score: f64, weight: f64) -> Sums {
        Sums {
            weight,
            weighted_score: score * weight,
        }
    }

    /// The weighted mean, or `None` without weight.
    pub fn mean(self) -> Option<f64> {
        (self.weight > 0.0).then(|| self.weighted_score / self.weight)
    }
}

/// A route's reviews after the company cap, at epoch scale: the companies'
/// capped sums, and the filler weight that stands at the board mean.
impl std::ops::Add for Sums {
    type Output = Sums;

    fn add(self, other: Sums) -> Sums {
        Sums {
            weight: self.weight + other.weight,
            weighted_score: self.weighted_score + other.weighted_score,
        }
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Capped {
    pub reviews: Sums,
    pub filler_weight: f64,
    /// No company counts for more than this weight.
    pub level: f64,
}

/// Caps every company at [`COMPANY_SHARE`] of the route's weight. Each
/// company keeps its own mean; heavier ones are scaled down to one level L,
/// the highest with L ≤ share·Σ min(wᶜ, L). With fewer than 1/share
/// companies no such level exists: then nobody is cut and filler weight
/// 5·max − Σw at the board mean brings the heaviest down to its share.
pub fn cap(companies: &[Sums]) -> Capped {
    let mut weights: Vec<f64> = companies
        .iter()
        .map(|c| c.weight)
        .filter(|w| *w > 0.0)
        .collect();
    if weights.is_empty() {
        return Capped::default();
    }
    weights.sort_by(|a, b| b.total_cmp(a));
    let parts = (1.0 / COMPANY_SHARE).round();
    let level = water_level(&weights).unwrap_or(weights[0]);
    let mut reviews = Sums::default();
    for company in companies.iter().filter(|c| c.weight > 0.0) {
        let kept = company.weight.min(level);
        reviews = reviews
            + Sums {
                weight: kept,
                weighted_score: company.weighted_score * (kept / company.weight),
            };
    }
    let filler_weight = (parts * level - reviews.weight).max(0.0);
    Capped {
        reviews,
        level,
        filler_weight: if filler_weight > reviews.weight * 1e-12 {
            filler_weight
        } else {
            0.0
        },
    }
}

/// The highest level L (at most the heaviest weight) with
/// L ≤ share·Σ min(wᶜ, L), for weights sorted heaviest first; `None` when
/// only L = 0 qualifies (fewer than 1/share companies).
fn water_level(sorted: &[f64]) -> Option<f64> {
    // With the k heaviest cut to L and the rest whole: L = share·(k·L + rest),
    // so L = share·rest / (1 − share·k), valid when it lies between the
    // (k+1)-th weight and the k-th.
    let total: f64 = sorted.iter().sum();
    if sorted[0] <= COMPANY_SHARE * total {
        return Some(sorted[0]);
    }
    for k in 1..=sorted.len() {
        // Summed afresh, not by subtraction: with every company cut the
        // rest must be exactly 0, not a rounding residue that passes as a level.
        let rest: f64 = sorted[k..].iter().sum();
        let denominator = 1.0 - COMPANY_SHARE * k as f64;
        if denominator <= 0.0 {
            return None;
        }
        let level = COMPANY_SHARE * rest / denominator;
        let next = sorted.get(k).copied().unwrap_or(0.0);
        // Equal weights are common (reviews of one second weigh the same),
        // and then the level lands on a weight give or take a rounding:
        // compared with a tolerance and clamped, or the cap would vanish.
        let tolerance = sorted[0] * 1e-9;
        if level > 0.0 && level + tolerance >= next && level <= sorted[k - 1] + tolerance {
            return Some(level.clamp(next, sorted[k - 1]));
        }
    }
    None
}

/// The route's rating as of `now`: the capped reviews and the filler blended
/// with the prior. `board_mean` is C.
pub fn rating(capped: Capped, board_mean: f64, now: NaiveDateTime) -> f64 {
    let decay = decay_since_epoch(now);
    let weight = decay * (capped.reviews.weight + capped.filler_weight);
    let weighted = decay * (capped.reviews.weighted_score + capped.filler_weight * board_mean);
    (PRIOR_WEIGHT * board_mean + weighted) / (PRIOR_WEIGHT + weight)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn a_review_weighs_half_after_six_months() {
        let now = epoch() + Duration::days(400);
        let fresh = epoch_weight(now) * decay_since_epoch(now);
        let old = epoch_weight(now - Duration::hours(4380)) * decay_since_epoch(now);
        assert!(close(fresh, 1.0), "{fresh}");
        assert!(close(old, 0.5), "{old}");
    }

    #[test]
    fn equal_weights_at_the_level_keep_the_cap_whatever_their_value() {
        // Two companies with two reviews, three with one, every review of
        // the same second: the level is one review's weight, for any weight
        // (rounding once made some of them cap nobody).
        for second in 0..2_000 {
            let w = epoch_weight(epoch() + Duration::seconds(second * 7_919));
            let companies = [
                Sums::of(4.0, 2.0 * w),
                Sums::of(4.0, 2.0 * w),
                Sums::of(3.0, w),
                Sums::of(3.0, w),
                Sums::of(3.0, w),
            ];
            let capped = cap(&companies);
            assert!(close(capped.level / w, 1.0), "second {second}: {capped:?}");
            assert!(close(capped.reviews.weight / w, 5.0), "second {second}");
            assert!(close(capped.filler_weight, 0.0), "second {second}");
        }
    }

    #[test]
    fn five_equal_companies_are_not_cut() {
        let companies = vec![Sums::of(4.0, 2.0); 5];
        let capped = cap(&companies);
        assert!(close(capped.reviews.weight, 10.0));
        assert!(close(capped.filler_weight, 0.0));
    }

    #[test]
    fn a_dominant_company_is_cut_to_a_fifth() {
        // One company with 96 reviews of 1 star, nine with 1 review of 5 stars.
        let mut companies = vec![Sums::of(1.0, 96.0)];
        companies.extend(vec![Sums::of(5.0, 1.0); 9]);
        let capped = cap(&companies);
        // L = 0.2·(L + 9) → L = 2.25; the big company keeps 2.25 of 11.25.
        assert!(close(capped.reviews.weight, 11.25), "{capped:?}");
        assert!(close(capped.filler_weight, 0.0));
        assert!(close(capped.reviews.weighted_score, 2.25 + 45.0));
    }

    #[test]
    fn one_company_alone_decides_a_fifth_the_rest_is_the_board_mean() {
        let capped = cap(&[Sums::of(1.0, 10.0)]);
        assert!(close(capped.filler_weight, 40.0), "{capped:?}");
        // Far more weight than the prior: the rating is 0.2·1 + 0.8·4.
        let now = epoch();
        let rated = rating(capped, 4.0, now);
        let expected = (5.0 * 4.0 + 10.0 + 40.0 * 4.0) / 55.0;
        assert!(close(rated, expected), "{rated}");
    }

    #[test]
    fn the_prior_pulls_a_route_with_few_reviews_towards_the_board_mean() {
        let now = epoch();
        let companies = vec![Sums::of(5.0, 1.0); 5];
        let rated = rating(cap(&companies), 3.0, now);
        assert!(close(rated, (5.0 * 3.0 + 25.0) / 10.0), "{rated}");
        assert!(close(rating(Capped::default(), 3.0, now), 3.0));
    }

    #[test]
    fn shares_stay_the_same_as_time_passes() {
        let at = |days| epoch_weight(epoch() + Duration::days(days));
        let companies = [Sums::of(2.0, at(10)), Sums::of(4.0, at(300))];
        let share = companies[0].weight / (companies[0].weight + companies[1].weight);
        let later = decay_since_epoch(epoch() + Duration::days(900));
        let share_later = companies[0].weight * later
            / (companies[0].weight * later + companies[1].weight * later);
        assert!(close(share, share_later));
    }

    #[test]
    fn no_company_exceeds_its_share_for_random_weights() {
        let mut seed = 7u64;
        let mut next = || {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((seed >> 33) % 1000) as f64 / 10.0 + 0.1
        };
        for n in 1..40 {
            let companies: Vec<Sums> = (0..n).map(|_| Sums::of(3.0, next())).collect();
            let capped = cap(&companies);
            let total = capped.reviews.weight + capped.filler_weight;
            assert!(
                capped.reviews.weight > 0.0,
                "n={n}: every company keeps weight"
            );
            for company in &companies {
                let kept = company.weight.min(capped.level);
                assert!(kept <= COMPANY_SHARE * total + 1e-9, "n={n}: {capped:?}");
            }
            // Only what is needed is cut: the level is a company's own weight
            // or exactly a fifth of the total.
            let heaviest = companies.iter().map(|c| c.weight).fold(0.0, f64::max);
            assert!(
                close(capped.level, heaviest) || close(capped.level, COMPANY_SHARE * total),
                "n={n}: {capped:?}"
            );
        }
    }

    #[test]
    fn four_companies_whose_weights_do_not_sum_exactly_keep_their_whole_weight() {
        // 0.1 + 0.2 + 0.3 + 0.7 leaves a rounding residue when taken away one by one.
        let companies = [0.7, 0.3, 0.2, 0.1].map(|w| Sums::of(4.0, w));
        let capped = cap(&companies);
        assert!(close(capped.reviews.weight, 1.3), "{capped:?}");
        assert!(close(capped.filler_weight, 5.0 * 0.7 - 1.3), "{capped:?}");
    }
}
