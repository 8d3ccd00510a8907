//! The bulletin's chart: each unit's reports on time in the month as horizontal bars, drawn by
//! the server as a PNG. Unit names need a font with Chinese glyphs: `DUBAN_CHART_FONT` (a .ttf,
//! .otf or .ttc), else the first of the usual system CJK fonts found (Noto CJK, WenQuanYi).
//! Without one the bars are drawn unlabelled, in the order of the table beside them.

use super::figures::Punctuality;
use crate::error::{AppError, AppResult};
use ab_glyph::{FontVec, PxScale};
use image::{Rgb, RgbImage};
use imageproc::drawing::{draw_filled_rect_mut, draw_text_mut, text_size};
use imageproc::rect::Rect;
use std::sync::OnceLock;

/// Fonts tried when `DUBAN_CHART_FONT` is not set: (path, face in a collection; 2 is Simplified
/// Chinese in Noto's collections).
const SYSTEM_FONTS: &[(&str, u32)] = &[
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2),
    ("/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc", 2),
    ("/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc", 2),
    ("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc", 2),
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
    ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
];

/// The chart font, loaded once (none when no font with Chinese glyphs is found).
fn font() -> Option<&'static FontVec> {
    static FONT: OnceLock<Option<FontVec>> = OnceLock::new();
    FONT.get_or_init(|| {
        let configured = std::env::var("DUBAN_CHART_FONT").ok().map(|path| (path, 0));
        let candidates = configured.into_iter().chain(SYSTEM_FONTS.iter().map(|(p, i)| ((*p).to_owned(), *i)));
        for (path, index) in candidates {
            let Ok(bytes) = std::fs::read(&path) else { continue };
            let face = FontVec::try_from_vec_and_index(bytes.clone(), index).or_else(|_| FontVec::try_from_vec(bytes));
            match face {
                Ok(font) => return Some(font),
                Err(error) => tracing::warn!(path, %error, "chart font unreadable"),
            }
        }
        tracing::warn!("no font with Chinese glyphs for the bulletin's chart; set DUBAN_CHART_FONT");
        None
    })
    .as_ref()
}

const WIDTH: u32 = 1200;
const ROW: u32 = 64;
const TOP: u32 = 110;
const LABELS: u32 = 330;
const RIGHT: u32 = 160;
const INK: Rgb<u8> = Rgb([33, 33, 33]);
const GRID: Rgb<u8> = Rgb([210, 210, 210]);
const BAR: Rgb<u8> = Rgb([46, 109, 180]);
const LOW: Rgb<u8> = Rgb([200, 60, 50]);

/// The chart's size in pixels for `rows` units.
pub fn size(rows: usize) -> (u32, u32) {
    (WIDTH, TOP + ROW * rows as u32 + 50)
}

/// Draws the bars (best first, as `units` are ordered) and encodes them as PNG.
pub fn draw(units: &[Punctuality]) -> AppResult<Vec<u8>> {
    let (width, height) = size(units.len());
    let mut canvas = RgbImage::from_pixel(width, height, Rgb([255, 255, 255]));
    let plot = width - LABELS - RIGHT;
    let font = font();
    if let Some(font) = font {
        draw_text_mut(&mut canvas, INK, LABELS as i32, 24, PxScale::from(48.0), font, "各单位进展按时报送率");
    }
    // Grid lines at 0, 25, 50, 75 and 100 per cent.
    for quarter in 0..=4 {
        let x = LABELS + plot * quarter / 4;
        draw_filled_rect_mut(
            &mut canvas,
            Rect::at(x as i32, TOP as i32 - 10).of_size(2, ROW * units.len() as u32 + 10),
            GRID,
        );
        if let Some(font) = font {
            let label = format!("{}%", quarter * 25);
            draw_text_mut(
                &mut canvas,
                INK,
                x as i32 - 20,
                (TOP + ROW * units.len() as u32) as i32 + 4,
                PxScale::from(32.0),
                font,
                &label,
            );
        }
    }
    for (n, unit) in units.iter().enumerate() {
        let y = TOP + ROW * n as u32;
        let rate = unit.rate().unwrap_or(0.0).clamp(0.0, 1.0);
        let length = ((f64::from(plot) * rate).round() as u32).max(2);
        let color = if rate < 0.6 { LOW } else { BAR };
        draw_filled_rect_mut(&mut canvas, Rect::at(LABELS as i32, y as i32 + 8).of_size(length, ROW - 16), color);
        if let Some(font) = font {
            let scale = PxScale::from(38.0);
            let (w, _) = text_size(scale, font, &unit.unit);
            let x = (LABELS as i32 - 16 - w as i32).max(4);
            draw_text_mut(&mut canvas, INK, x, y as i32 + 10, scale, font, &unit.unit);
            let value = format!("{:.1}%", rate * 100.0);
            draw_text_mut(&mut canvas, INK, (LABELS + length) as i32 + 10, y as i32 + 10, scale, font, &value);
        }
    }
    let mut png = std::io::Cursor::new(Vec::new());
    canvas
        .write_to(&mut png, image::ImageFormat::Png)
        .map_err(|e| AppError::Internal(anyhow::anyhow!("chart not encoded: {e}")))?;
    Ok(png.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chart_has_a_bar_per_unit_as_long_as_its_rate() {
        let units = [
            Punctuality { unit: "县民政局".into(), judged: 4, on_time: 4 },
            Punctuality { unit: "县财政局".into(), judged: 4, on_time: 1 },
        ];
        let png = draw(&units).unwrap();
        let image = image::load_from_memory(&png).unwrap().to_rgb8();
        assert_eq!(image.dimensions(), size(2));
        let plot = WIDTH - LABELS - RIGHT;
        let at = |x: u32, row: u32| *image.get_pixel(x, TOP + ROW * row + ROW / 2);
        // The first bar reaches the end of the plot; the second a quarter of it, in red.
        assert_eq!(at(LABELS + plot - 3, 0), BAR);
        assert_eq!(at(LABELS + plot / 4 - 3, 1), LOW);
        assert_ne!(at(LABELS + plot / 4 + 8, 1), LOW);
    }
}
