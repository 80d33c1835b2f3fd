import { formatAxes, parseAxes } from './y-axes';

describe(parseAxes.name, () => {
  it('reads limits, log scale and band per panel, the same as it writes them', () => {
    const text = 'co2:log,overlay-2:..100,temperature:-20.5..5:noband';
    const axes = parseAxes(text);
    expect(axes).toEqual({
      temperature: { min: -20.5, max: 5, band: false },
      co2: { log: true },
      'overlay-2': { max: 100 },
    });
    expect(formatAxes(axes)).toBe(text);
  });

  it('opens a link with an unreadable part as if the part were not there', () => {
    expect(parseAxes('temperature:abc..5:wobble,Bad Key:log,,humidity')).toEqual({ temperature: { max: 5 } });
    expect(parseAxes(undefined)).toEqual({});
  });

  it('writes nothing when every axis is at its default', () => {
    expect(formatAxes({ temperature: { min: null, max: null, log: false, band: true } })).toBeNull();
    expect(formatAxes({})).toBeNull();
  });
});
