/**
 * CloudWatch alarm states and metric sums per account, set by the test or the simulation over
 * virtual time: what a rollback trigger and a wave's health gate read.
 */
export type AlarmState = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';

interface Timeline<T> {
  /** (fromMs, value), sorted by fromMs. */
  readonly points: Array<[number, T]>;
}

function at<T>(timeline: Timeline<T> | undefined, ms: number, fallback: T): T {
  if (!timeline) return fallback;
  let value = fallback;
  for (const [from, v] of timeline.points) {
    if (from <= ms) value = v;
    else break;
  }
  return value;
}

export class SimulatedCloudWatch {
  private readonly alarms = new Map<string, Timeline<AlarmState>>();
  private readonly metrics = new Map<string, Array<[number, number]>>();

  /** Sets an alarm (by name) in an account to `state` from virtual time `fromMs` on. */
  setAlarm(accountId: string, alarmName: string, state: AlarmState, fromMs = 0): void {
    const key = `${accountId}/${alarmName}`;
    const timeline = this.alarms.get(key) ?? { points: [] };
    timeline.points.push([fromMs, state]);
    timeline.points.sort((a, b) => a[0] - b[0]);
    this.alarms.set(key, timeline);
  }

  alarmState(accountId: string, alarm: string, ms: number): AlarmState {
    // Rollback triggers name alarms by ARN: arn:aws:cloudwatch:<region>:<account>:alarm:<name>.
    const name = alarm.startsWith('arn:') ? alarm.slice(alarm.indexOf(':alarm:') + ':alarm:'.length) : alarm;
    return at(this.alarms.get(`${accountId}/${name}`), ms, 'OK');
  }

  /** Records `value` for a metric (namespace/name, e.g. "AWS/States/ExecutionsStarted") at `atMs`. */
  recordMetric(accountId: string, metric: string, value: number, atMs: number): void {
    const key = `${accountId}/${metric}`;
    const points = this.metrics.get(key) ?? [];
    points.push([atMs, value]);
    this.metrics.set(key, points);
  }

  metricSum(accountId: string, metric: string, fromMs: number, toMs: number): number {
    let sum = 0;
    for (const [ms, v] of this.metrics.get(`${accountId}/${metric}`) ?? []) if (ms >= fromMs && ms < toMs) sum += v;
    return sum;
  }

  describeAlarms(accountId: string, p: Record<string, any>, nowMs: number): unknown {
    const names: string[] = p.AlarmNames ?? [];
    const metricAlarms = names
      .filter((n) => this.alarms.has(`${accountId}/${n}`))
      .map((n) => ({ AlarmName: n, AlarmArn: `arn:aws:cloudwatch:::${accountId}:alarm:${n}`, StateValue: this.alarmState(accountId, n, nowMs) }))
      .filter((a) => p.StateValue === undefined || a.StateValue === p.StateValue);
    return { MetricAlarms: metricAlarms, CompositeAlarms: [] };
  }

  /**
   * GetMetricData for `MetricStat` queries: the sum over [StartTime, EndTime) of the metric named
   * `<Namespace>/<MetricName>`, one value per query (the simulation's period is the whole range).
   */
  getMetricData(accountId: string, p: Record<string, any>): unknown {
    const from = Date.parse(p.StartTime);
    const to = Date.parse(p.EndTime);
    const results = ((p.MetricDataQueries ?? []) as Array<Record<string, any>>).map((q) => {
      const metric = q.MetricStat?.Metric;
      const sum = metric ? this.metricSum(accountId, `${metric.Namespace}/${metric.MetricName}`, from, to) : 0;
      return { Id: q.Id, Label: metric?.MetricName ?? q.Id, StatusCode: 'Complete', Timestamps: [new Date(from).toISOString()], Values: [sum] };
    });
    return { MetricDataResults: results, Messages: [] };
  }
}
