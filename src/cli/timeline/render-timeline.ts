import type { Pod } from '../../api/types.js';
import type { TimelineEntry } from '../../store/pod-store.js';
import { renderChart } from './chart.js';
import { containerStories } from './container-story.js';
import { verdictLines } from './verdicts.js';

/** The chart and one verdict line per container, as `hooklet run` and `hooklet timeline` print them. */
export function renderTimeline(entries: TimelineEntry[], _pods: Pod[] = []): string {
  const stories = containerStories(entries);
  return [renderChart(stories, entries), '', 'Verdicts:', ...verdictLines(stories).map((l) => `  ${l}`)].join('\n');
}
