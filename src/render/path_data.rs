//! SVG path data (`M1 2L3.5 4.5…`) written fast: the canvas backend hands
//! each stroke to the browser as one `Path2D` built from such a string.
#![cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]

/// Appends `<command>x y` to SVG path data, each coordinate plus a half when
/// `half` (the centre of a pixel, where odd-width lines are crisp).
pub(crate) fn push_command(path: &mut String, command: char, x: i32, y: i32, half: bool) {
    path.push(command);
    push_coordinate(path, x, half);
    path.push(' ');
    push_coordinate(path, y, half);
}

/// Writes an integer (plus ".5") without the formatting machinery, which
/// is several times slower for the thousands of vertices of a frame.
fn push_coordinate(path: &mut String, value: i32, half: bool) {
    // `value + 0.5` for a negative value is `-(|value| - 1) - 0.5`.
    let (negative, magnitude) = match (value < 0, half) {
        (true, true) => (true, value.unsigned_abs() - 1),
        (true, false) => (true, value.unsigned_abs()),
        (false, _) => (false, value.unsigned_abs()),
    };
    if negative && (magnitude > 0 || half) {
        path.push('-');
    }
    let mut digits = [0u8; 10];
    let mut n = magnitude;
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for &d in &digits[i..] {
        path.push(char::from(d));
    }
    if half {
        path.push_str(".5");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coordinates_are_written_as_svg_numbers() {
        let written = |value, half| {
            let mut s = String::new();
            push_coordinate(&mut s, value, half);
            s
        };
        for value in [-1234, -10, -1, 0, 1, 9, 10, 4095, i32::MAX, i32::MIN + 1] {
            assert_eq!(written(value, false), value.to_string());
            assert_eq!(
                written(value, true).parse::<f64>().unwrap(),
                f64::from(value) + 0.5,
                "{value}"
            );
        }
    }
}
