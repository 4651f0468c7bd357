import { parseDurationSeconds } from './duration';

describe(parseDurationSeconds.name, () => {
  it.each([
    ['900', 900],
    ['1', 1],
    ['30s', 30],
    ['15m', 900],
    ['1h', 3600],
    ['24h', 86400],
    ['7d', 604800],
    ['90d', 7776000],
    ['0001m', 60],
    [' 15m ', 900],
    ['999999999', 999999999],
  ])('reads %j as %d seconds', (text, seconds) => {
    expect(parseDurationSeconds(text)).toBe(seconds);
  });

  it.each([
    '',
    ' ',
    '0',
    '0s',
    '0d',
    '-5',
    '-5m',
    '1.5h',
    '15 m',
    '15M',
    '1H',
    '15x',
    '15ms',
    '1w',
    '1y',
    'm',
    'soon',
    '1e3',
    '0x10',
    '15m30s',
    '+15',
    '1_000',
    '1000000000',
  ])('refuses %j', (text) => {
    expect(parseDurationSeconds(text)).toBeUndefined();
  });
});
