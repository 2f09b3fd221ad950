// Times as people read them: the server's UTC timestamps in the browser's own time zone.

const timeOfDay = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const timeWithSeconds = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
const fullDate = new Intl.DateTimeFormat(undefined, { weekday: 'long', year: 'numeric', month: 'long', day: 'numeric' });
const dateAndTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'full', timeStyle: 'medium' });

export const formatTime = date => timeOfDay.format(date);
export const formatTimeWithSeconds = date => timeWithSeconds.format(date);
export const formatFull = date => dateAndTime.format(date);

/** The local calendar day, as a key for grouping. */
export function dayKey(date) {
  return `${date.getFullYear()}-${date.getMonth()}-${date.getDate()}`;
}

/** "Today", "Yesterday" or the date. */
export function formatDay(date, now = new Date()) {
  if (dayKey(date) === dayKey(now)) {
    return 'Today';
  }
  const yesterday = new Date(now);
  yesterday.setDate(now.getDate() - 1);
  return dayKey(date) === dayKey(yesterday) ? 'Yesterday' : fullDate.format(date);
}
