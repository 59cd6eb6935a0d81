// The fixtures' chart: a day of minutes drawn in #chart, and what the frame
// shows left in `window.fixture` for the test.
import { Chart } from 'sabaplot';

export function drawDay(title) {
  const element = document.getElementById('chart');
  const times = Float64Array.from({ length: 1_440 }, (_, k) => 1.7e9 + 60 * k);
  const chart = new Chart(element, { title, timeZone: 'UTC', legend: false });
  chart.setSeriesArrays('load', times, times.map((_, k) => 2 + Math.sin(k / 90)));
  chart.draw();
  window.fixture = chart.describe();
}
