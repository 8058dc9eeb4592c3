// amlich 0.0.2 ships no types. Only the two functions the generator calls are declared.
declare module 'amlich' {
  /** [lunarDay, lunarMonth, lunarYear, leap (0|1)] for a solar date in the given UTC offset (hours). */
  export function convertSolar2Lunar(dd: number, mm: number, yy: number, timeZone: number): number[];
  /** [day, month, year] of the solar date, or [0, 0, 0] when the leap month does not exist. */
  export function convertLunar2Solar(
    lunarDay: number,
    lunarMonth: number,
    lunarYear: number,
    lunarLeap: number,
    timeZone: number,
  ): number[];
  const amlich: {
    convertSolar2Lunar: typeof convertSolar2Lunar;
    convertLunar2Solar: typeof convertLunar2Solar;
  };
  export default amlich;
}
