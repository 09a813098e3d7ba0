import { describe, expect, it } from 'vitest';
import { type CostRow, detectCostAnomalies } from './detect.js';

function day(i: number): string {
  return new Date(Date.UTC(2024, 8, 1 + i)).toISOString().slice(0, 10);
}

describe('cost anomaly detection', () => {
  const rows: CostRow[] = [];
  for (let i = 0; i < 40; i++) {
    // EC2: steady, with a one-day spike on day 20 from data transfer
    rows.push({ date: day(i), service: 'EC2', usageType: 'BoxUsage', cost: 100 + (i % 3) });
    rows.push({ date: day(i), service: 'EC2', usageType: 'DataTransfer-Out', cost: i === 20 ? 250 : 10 });
    // S3: steps from 50 to 120 a day on day 25 (storage)
    rows.push({ date: day(i), service: 'S3', usageType: 'TimedStorage', cost: i >= 25 ? 120 : 50 + (i % 2) });
    // SageMaker: new spend from day 30
    if (i >= 30) rows.push({ date: day(i), service: 'SageMaker', usageType: 'ml.g5.xlarge', cost: 80 });
  }
  const found = detectCostAnomalies(rows);

  it('flags the one-day spike with its driver', () => {
    const spike = found.find((a) => a.service === 'EC2');
    expect(spike).toMatchObject({ date: day(20), kind: 'spike' });
    expect(spike?.drivers[0]?.usageType).toBe('DataTransfer-Out');
    expect(spike?.drivers[0]?.delta).toBeCloseTo(240, 6);
    expect(found.filter((a) => a.service === 'EC2')).toHaveLength(1);
  });

  it('flags the step change once and the new spend', () => {
    const s3 = found.filter((a) => a.service === 'S3');
    expect(s3.map((a) => a.kind)).toContain('step_change');
    expect(s3.filter((a) => a.kind === 'step_change')).toHaveLength(1);
    expect(s3.find((a) => a.kind === 'step_change')?.drivers[0]?.usageType).toBe('TimedStorage');
    const sm = found.filter((a) => a.service === 'SageMaker');
    expect(sm[0]).toMatchObject({ date: day(30), kind: 'new_spend' });
  });

  it('stays quiet on steady spend', () => {
    const steady = Array.from({ length: 30 }, (_, i) => ({
      date: day(i),
      service: 'RDS',
      cost: 40 + (i % 4),
    }));
    expect(detectCostAnomalies(steady)).toEqual([]);
  });

  it('learns a weekly pattern: a Monday batch job or weekend-only spend is not a spike every week', () => {
    const weekly: CostRow[] = [];
    // 2024-09-02 is a Monday: day(1).
    for (let i = 0; i < 63; i++) {
      const dow = (i + 0) % 7; // 0 = Sunday (2024-09-01)
      weekly.push({ date: day(i), service: 'Batch', cost: 100 + (i % 3) + (dow === 1 ? 100 : 0) });
      weekly.push({ date: day(i), service: 'Backup', cost: dow === 6 ? 60 : 5 });
      // A real incident on a Wednesday, a Monday three times the usual batch, and a Tuesday.
      if (i === 45) weekly.push({ date: day(i), service: 'Batch', usageType: 'runaway', cost: 150 });
      if (i === 50) weekly.push({ date: day(i), service: 'Batch', usageType: 'runaway', cost: 200 });
      // The day after a usual Monday: not hidden behind it (regression: the Monday counted as an episode).
      if (i === 58) weekly.push({ date: day(i), service: 'Batch', usageType: 'runaway', cost: 150 });
    }
    const flagged = detectCostAnomalies(weekly);
    const without = detectCostAnomalies(weekly, { weekly: false });
    // Without the weekly comparison every Monday and every Saturday after the first two weeks is a spike.
    expect(without.filter((a) => a.service === 'Batch' && a.kind === 'spike').length).toBeGreaterThanOrEqual(
      6,
    );
    expect(without.filter((a) => a.service === 'Backup').length).toBeGreaterThanOrEqual(6);
    // With it, only the incidents (and none of the usual Mondays or Saturdays).
    expect(flagged.filter((a) => a.service === 'Backup')).toEqual([]);
    const batch = flagged.filter((a) => a.service === 'Batch');
    expect(batch.map((a) => a.date)).toEqual([day(45), day(50), day(58)]);
    expect(batch.every((a) => a.kind === 'spike' && a.drivers[0]?.usageType === 'runaway')).toBe(true);
  });

  it('does not call a weekly Friday-to-Sunday shutdown a step change, but does a real one', () => {
    const rows: CostRow[] = [];
    for (let i = 0; i < 70; i++) {
      const dow = i % 7; // 0 = Sunday
      const off = dow === 5 || dow === 6 || dow === 0;
      rows.push({ date: day(i), service: 'DevEnv', cost: off ? 2 : 80 + (i % 3) });
      // From day 56 (a Sunday) the staging cluster doubles for good.
      rows.push({ date: day(i), service: 'Staging', cost: (i >= 56 ? 200 : 100) + (i % 2) });
    }
    const without = detectCostAnomalies(rows, { weekly: false });
    expect(
      without.filter((a) => a.service === 'DevEnv' && a.kind === 'step_change').length,
    ).toBeGreaterThanOrEqual(2);
    const found = detectCostAnomalies(rows);
    expect(found.filter((a) => a.service === 'DevEnv')).toEqual([]);
    const staging = found.filter((a) => a.service === 'Staging');
    // Its first day is a spike; by the third it is a new level.
    expect(staging.map((a) => `${a.kind}@${a.date}`)).toEqual([`spike@${day(56)}`, `step_change@${day(58)}`]);
  });

  it('validates its input', () => {
    expect(() => detectCostAnomalies([{ date: '2024/09/01', service: 'x', cost: 1 }])).toThrow();
  });
});
