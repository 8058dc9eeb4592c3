// date-chinese 2.1.4 ships types, but only through a `types` field that `exports` hides from
// NodeNext resolution; this declares the part the generator calls.
declare module 'date-chinese' {
  export interface GregorianDate {
    year: number;
    month: number;
    day: number;
  }
  export class CalendarVietnamese {
    constructor(cycle?: number, year?: number, month?: number, leap?: number | boolean, day?: number);
    /** [cycle, year, month, leap, day] */
    get(): [number, number, number, boolean, number];
    yearFromEpochCycle(): number;
    fromGregorian(year: number, month: number, day: number): this;
    fromJDE(jde: number): this;
    toGregorian(gyear?: number): GregorianDate;
    newYear(gyear: number): number;
  }
}
