//! A tiny page model: the embedded font, text measuring and wrapping, a
//! display list per page, and its rendering through krilla.
//!
//! Coordinates are PDF points with the origin at the top-left corner of the
//! page and y growing downwards (krilla's convention); text is placed by its
//! baseline.

use std::sync::OnceLock;

use krilla::color::luma;
use krilla::geom::{PathBuilder, Point, Rect, Size as BoxSize, Transform};
use krilla::image::Image;
use krilla::metadata::Metadata;
use krilla::num::NormalizedF32;
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::surface::Surface;
use krilla::text::{Font, GlyphId, KrillaGlyph};
use krilla::{Data, Document};
use skrifa::instance::{LocationRef, Size};
use skrifa::metrics::GlyphMetrics;
use skrifa::{FontRef, MetadataProvider};

use super::PdfError;

/// A4 portrait, in points.
pub const PAGE_W: f32 = 595.28;
pub const PAGE_H: f32 = 841.89;

/// Points in a millimetre.
pub const MM: f32 = 72.0 / 25.4;

/// A page's width and height in points.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PageSize {
    pub w: f32,
    pub h: f32,
}

impl PageSize {
    /// ISO A4 portrait, 210 × 297 mm.
    pub const A4: PageSize = PageSize {
        w: PAGE_W,
        h: PAGE_H,
    };
    /// ISO A6 portrait, 105 × 148 mm: the usual parcel label.
    pub const A6: PageSize = PageSize {
        w: 105.0 * MM,
        h: 148.0 * MM,
    };
}

static FONT_BYTES: &[u8] = include_bytes!("../../assets/fonts/NotoSansCJKsc-Regular-subset.otf");

/// Where the baseline sits below the top of a line of `size` points.
const ASCENT: f32 = 0.88;

/// The embedded font, parsed once per process.
pub struct PdfFont {
    font: Font,
    charmap: skrifa::charmap::Charmap<'static>,
    metrics: GlyphMetrics<'static>,
    upem: f32,
}

impl PdfFont {
    pub fn get() -> Result<&'static PdfFont, PdfError> {
        static FONT: OnceLock<Option<PdfFont>> = OnceLock::new();
        FONT.get_or_init(|| PdfFont::load(FONT_BYTES))
            .as_ref()
            .ok_or(PdfError::Font)
    }

    fn load(bytes: &'static [u8]) -> Option<PdfFont> {
        let font_ref = FontRef::new(bytes).ok()?;
        let metrics = font_ref.glyph_metrics(Size::unscaled(), LocationRef::default());
        let font = Font::new(bytes.into(), 0)?;
        let upem = font.units_per_em();
        Some(PdfFont {
            font,
            charmap: font_ref.charmap(),
            metrics,
            upem,
        })
    }

    /// The glyph and its advance (in em) for one character; glyph 0 (a box)
    /// when the font lacks it.
    fn glyph(&self, c: char) -> (skrifa::GlyphId, f32) {
        let gid = self.charmap.map(c).unwrap_or_default();
        let adv = self.metrics.advance_width(gid).unwrap_or(0.0) / self.upem;
        (gid, adv)
    }

    /// Width of `text` at `size` points.
    pub fn width(&self, text: &str, size: f32) -> f32 {
        text.chars().map(|c| self.glyph(c).1).sum::<f32>() * size
    }

    /// Greedy line breaking within `max_w`: at spaces, and between Han
    /// characters except before closing (or after opening) punctuation.
    /// An empty text gives no lines; a word wider than the column is split.
    pub fn wrap(&self, text: &str, size: f32, max_w: f32) -> Vec<String> {
        let mut lines = Vec::new();
        for para in text.split('\n') {
            let chars: Vec<char> = clean(para).chars().collect();
            let (mut start, mut i, mut width) = (0, 0, 0.0);
            let mut brk: Option<usize> = None;
            while i < chars.len() {
                if i > start && can_break_before(chars[i - 1], chars[i]) {
                    brk = Some(i);
                }
                let w = self.glyph(chars[i]).1 * size;
                if width + w > max_w && i > start && chars[i] != ' ' {
                    let end = brk.filter(|&b| b > start).unwrap_or(i);
                    push_line(&mut lines, &chars[start..end]);
                    start = end;
                    while start < chars.len() && chars[start] == ' ' {
                        start += 1;
                    }
                    i = i.max(start);
                    width = chars[start..i]
                        .iter()
                        .map(|&c| self.glyph(c).1 * size)
                        .sum();
                    brk = None;
                    continue;
                }
                width += w;
                i += 1;
            }
            if start < chars.len() {
                push_line(&mut lines, &chars[start..]);
            }
        }
        lines
    }

    fn glyphs(&self, text: &str) -> Vec<KrillaGlyph> {
        text.char_indices()
            .map(|(at, c)| {
                let (gid, adv) = self.glyph(c);
                KrillaGlyph::new(
                    GlyphId::new(gid.to_u32()),
                    adv,
                    0.0,
                    0.0,
                    0.0,
                    at..at + c.len_utf8(),
                    None,
                )
            })
            .collect()
    }
}

fn push_line(lines: &mut Vec<String>, chars: &[char]) {
    let line: String = chars.iter().collect();
    let line = line.trim_end();
    if !line.is_empty() {
        lines.push(line.to_owned());
    }
}

/// Control characters (tabs, stray CR) become spaces.
pub fn clean(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

fn is_wide(c: char) -> bool {
    matches!(c as u32, 0x2E80..=0x9FFF | 0xF900..=0xFAFF | 0xFF00..=0xFF60 | 0x20000..=0x3FFFF)
}

fn is_closing(c: char) -> bool {
    "，。、；：！？）》」』】〕〉”’．,.;:!?)]}%".contains(c)
}

fn is_opening(c: char) -> bool {
    "（《「『【〔〈“‘([{".contains(c)
}

fn can_break_before(prev: char, c: char) -> bool {
    if c == ' ' {
        return false;
    }
    prev == ' ' || ((is_wide(prev) || is_wide(c)) && !is_closing(c) && !is_opening(prev))
}

/// How a run of text looks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    Regular,
    /// Synthetic bold: filled and outlined (the font has one weight).
    Bold,
    /// Grey, for secondary text.
    Muted,
}

/// One drawing operation of a page.
#[derive(Clone, Debug)]
pub enum Op {
    /// Text with its baseline at `y`.
    Text {
        x: f32,
        y: f32,
        size: f32,
        style: Style,
        text: String,
    },
    /// A straight line, `width` points thick, of grey level `grey` (0 black).
    Line {
        from: (f32, f32),
        to: (f32, f32),
        width: f32,
        grey: u8,
    },
    /// A filled rectangle of grey level `grey`.
    Fill {
        rect: (f32, f32, f32, f32),
        grey: u8,
    },
    /// Black bars of a barcode, `height` tall from `top`: each bar is
    /// (first module, width in modules), a module being `module` points,
    /// counted from `x`. One path, so a label costs one drawing operation.
    Bars {
        x: f32,
        top: f32,
        module: f32,
        height: f32,
        bars: Vec<(usize, usize)>,
    },
    /// A raster image (a photo) scaled into `rect` (x, y, width, height).
    Image {
        rect: (f32, f32, f32, f32),
        image: Photo,
    },
}

/// A PNG, JPEG or WebP image ready to be placed; its pixels are decoded only
/// when the PDF is written, so a file whose header reads but whose data is
/// broken fails `render` (callers fall back to a note).
#[derive(Clone, Debug)]
pub struct Photo {
    image: Image,
}

impl Photo {
    /// The image in `bytes`, sniffed by content; `None` for anything else or
    /// a header that does not parse.
    pub fn from_bytes(bytes: Vec<u8>) -> Option<Photo> {
        let kind = infer::get(&bytes)?.mime_type();
        let data = Data::from(bytes);
        let image = match kind {
            "image/png" => Image::from_png(data, true),
            "image/jpeg" => Image::from_jpeg(data, true),
            "image/webp" => Image::from_webp(data, true),
            _ => return None,
        };
        image.ok().map(|image| Photo { image })
    }

    /// Width and height in pixels.
    pub fn pixels(&self) -> (u32, u32) {
        self.image.size()
    }

    /// The largest size with the image's proportions that fits `max_w` × `max_h`.
    pub fn fit(&self, max_w: f32, max_h: f32) -> (f32, f32) {
        let (w, h) = self.pixels();
        if w == 0 || h == 0 {
            return (max_w, max_h);
        }
        let scale = (max_w / w as f32).min(max_h / h as f32);
        (w as f32 * scale, h as f32 * scale)
    }
}

impl Op {
    /// Text whose line box starts at `top`, for a line height of `lh`.
    pub fn text(x: f32, top: f32, lh: f32, size: f32, style: Style, text: &str) -> Op {
        Op::Text {
            x,
            y: top + (lh - size) / 2.0 + size * ASCENT,
            size,
            style,
            text: clean(text),
        }
    }
}

/// Renders the pages (each a display list) into one PDF of `size` pages.
pub fn render(
    font: &PdfFont,
    title: &str,
    size: PageSize,
    pages: &[Vec<Op>],
) -> Result<Vec<u8>, PdfError> {
    let mut doc = Document::new();
    doc.set_metadata(
        Metadata::new()
            .title(title.to_owned())
            .creator("Samplepost".to_owned())
            .language("en".to_owned()),
    );
    let size = PageSettings::from_wh(size.w, size.h).ok_or(PdfError::Write("page size".into()))?;
    for ops in pages {
        let mut page = doc.start_page_with(size.clone());
        let mut surface = page.surface();
        for op in ops {
            draw(&mut surface, font, op);
        }
        surface.finish();
        page.finish();
    }
    doc.finish().map_err(|e| PdfError::Write(format!("{e:?}")))
}

fn grey(level: u8) -> krilla::paint::Paint {
    luma::Color::new(level).into()
}

fn draw(surface: &mut Surface<'_>, font: &PdfFont, op: &Op) {
    match op {
        Op::Text {
            x,
            y,
            size,
            style,
            text,
        } => {
            if text.is_empty() {
                return;
            }
            let level = if *style == Style::Muted { 90 } else { 0 };
            surface.set_fill(Some(Fill {
                paint: grey(level),
                ..Fill::default()
            }));
            surface.set_stroke((*style == Style::Bold).then(|| Stroke {
                paint: grey(level),
                width: size * 0.035,
                ..Stroke::default()
            }));
            let glyphs = font.glyphs(text);
            let at = Point::from_xy(*x, *y);
            surface.draw_glyphs(at, &glyphs, font.font.clone(), text, *size, false);
            surface.set_stroke(None);
        }
        Op::Line {
            from,
            to,
            width,
            grey: level,
        } => {
            let mut pb = PathBuilder::new();
            pb.move_to(from.0, from.1);
            pb.line_to(to.0, to.1);
            if let Some(path) = pb.finish() {
                surface.set_fill(None);
                surface.set_stroke(Some(Stroke {
                    paint: grey(*level),
                    width: *width,
                    ..Stroke::default()
                }));
                surface.draw_path(&path);
                surface.set_stroke(None);
            }
        }
        Op::Fill {
            rect: (x, y, w, h),
            grey: level,
        } => {
            let mut pb = PathBuilder::new();
            if let Some(rect) = Rect::from_xywh(*x, *y, *w, *h) {
                pb.push_rect(rect);
            }
            fill_path(surface, pb, *level);
        }
        Op::Bars {
            x,
            top,
            module,
            height,
            bars,
        } => {
            let mut pb = PathBuilder::new();
            for (start, width) in bars {
                let left = x + *start as f32 * module;
                if let Some(rect) = Rect::from_xywh(left, *top, *width as f32 * module, *height) {
                    pb.push_rect(rect);
                }
            }
            fill_path(surface, pb, 0);
        }
        Op::Image {
            rect: (x, y, w, h),
            image,
        } => {
            if let Some(size) = BoxSize::from_wh(*w, *h) {
                surface.push_transform(&Transform::from_translate(*x, *y));
                surface.draw_image(image.image.clone(), size);
                surface.pop();
            }
        }
    }
}

fn fill_path(surface: &mut Surface<'_>, pb: PathBuilder, level: u8) {
    if let Some(path) = pb.finish() {
        surface.set_fill(Some(Fill {
            paint: grey(level),
            opacity: NormalizedF32::ONE,
            ..Fill::default()
        }));
        surface.set_stroke(None);
        surface.draw_path(&path);
    }
}
