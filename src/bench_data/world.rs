//! The made-up world the generators draw from: sellers' cities and trades,
//! review texts by mood, and the picks that make the data look lived in
//! (a few busy companies and routes, most reviews good, some bad).

use rand::Rng;
use rand::rngs::StdRng;

/// Sender cities (province, city) of the sellers.
pub const CITIES: &[(&str, &str)] = &[
    ("广东省", "深圳市"),
    ("广东省", "广州市"),
    ("广东省", "东莞市"),
    ("浙江省", "义乌市"),
    ("浙江省", "杭州市"),
    ("福建省", "厦门市"),
    ("江苏省", "苏州市"),
    ("上海市", "上海市"),
];

/// Product categories (`category.*` in the catalogue).
pub const CATEGORIES: &[&str] = &[
    "electronics",
    "apparel",
    "beauty",
    "home",
    "toys",
    "sports",
    "jewelry",
    "pet",
];

const GOOD: &[(&str, &str)] = &[
    (
        "比预计早两天到，包装完好，客户很满意。",
        "well_packed,accurate_tracking",
    ),
    (
        "清关很顺利，全程轨迹更新及时。",
        "fast_clearance,accurate_tracking",
    ),
    (
        "包税没有额外费用，和报价一致。",
        "ddp_worked,price_as_quoted",
    ),
    (
        "Arrived in time for the buyer's evaluation, box in perfect shape.",
        "well_packed",
    ),
    (
        "Customs took one day, tracking was accurate all the way.",
        "fast_clearance",
    ),
    ("客服回复很快，帮我们改了派送地址。", "helpful_service"),
];

const MIXED: &[(&str, &str)] = &[
    ("时效一般，中间有三天没有轨迹更新。", "slow_updates"),
    ("Took a few days longer than quoted, but arrived fine.", ""),
    ("清关慢了一点，其他都还可以。", "customs_delay"),
    (
        "Price was as quoted; tracking stopped for a while in transit.",
        "price_as_quoted,slow_updates",
    ),
];

const BAD: &[(&str, &str)] = &[
    ("外箱压坏了，样品有划痕，客户很不满意。", "box_damaged"),
    (
        "在海关扣了一周，要求补文件，客服回复很慢。",
        "customs_delay",
    ),
    (
        "Charged extra after re-weighing, nobody explained why.",
        "extra_charges",
    ),
    ("包裹丢了，理赔还在处理中。", ""),
];

/// A review's text and tags for a score: a third say nothing.
pub fn words(rng: &mut StdRng, overall: i64) -> (&'static str, &'static str) {
    if rng.gen_bool(0.35) {
        return ("", "");
    }
    let pool = match overall {
        5 | 4 => GOOD,
        3 => MIXED,
        _ => BAD,
    };
    pool[rng.gen_range(0..pool.len())]
}

/// An index in `0..len` favouring the start: a few busy, many quiet.
pub fn skewed(rng: &mut StdRng, len: usize, power: f64) -> usize {
    let u: f64 = rng.r#gen();
    ((len as f64) * u.powf(power)).floor().min(len as f64 - 1.0) as usize
}

/// A score around `quality`, less for a late or lost parcel.
pub fn score(rng: &mut StdRng, quality: f64, penalty: f64) -> i64 {
    let noisy = quality - penalty + rng.gen_range(-1.2..1.2);
    (noisy.round() as i64).clamp(1, 5)
}

/// A dimension's score beside the overall one.
pub fn near(rng: &mut StdRng, overall: i64) -> i64 {
    (overall + rng.gen_range(-1..=1)).clamp(1, 5)
}
