using System.Globalization;
using System.Text.RegularExpressions;

namespace Parley.Tools.Dates;

/// <summary>Chinese date and time phrases (明天下午三点, 下周二, 两个小时后, 12月25号, 月底), most specific first.</summary>
internal static partial class ChineseDatePatterns
{
    private const string Numeral = "[0-9]{1,2}|[零〇一二两三四五六七八九十]{1,3}";
    private const string Weekdays = "一二三四五六日天";

    public static void Scan(DateParts parts)
    {
        First(parts, Relative(), m =>
        {
            var unit = m.Groups["u"].Value;
            var n = m.Groups["n"].Value == "半" ? 0.5 : Number(m.Groups["n"].Value) + (m.Groups["half"].Success ? 0.5 : 0);
            switch (unit)
            {
                case "小时" or "钟头":
                    parts.Elapsed = TimeSpan.FromHours(n);
                    break;
                case "分钟" or "分":
                    parts.Elapsed = TimeSpan.FromMinutes(n);
                    break;
                case "天" or "日":
                    parts.Date = parts.Today.AddDays((int)n);
                    break;
                case "月":
                    parts.Date = parts.Today.AddMonths((int)n);
                    break;
                default:
                    parts.Date = parts.Today.AddDays(7 * (int)n);
                    break;
            }
        });
        First(parts, NamedDay(), m =>
        {
            var word = m.Value;
            parts.Date = word[0] switch
            {
                '今' => parts.Today,
                '明' => parts.Today.AddDays(1),
                '昨' => parts.Today.AddDays(-1),
                '后' => parts.Today.AddDays(2),
                _ => parts.Today.AddDays(3),
            };
            if (word.EndsWith('晚'))
            {
                parts.Part = DayPart.Night;
            }
            else if (word.EndsWith('早'))
            {
                parts.Part = DayPart.Morning;
            }
        });
        First(parts, Weekday(), m =>
        {
            var index = Weekdays.IndexOf(m.Groups["d"].Value[0], StringComparison.Ordinal);
            var day = index >= 6 ? DayOfWeek.Sunday : (DayOfWeek)(index + 1);
            parts.Date = m.Groups["mod"].Value switch
            {
                "下下" => DatePhraseResolver.WeekdayOfWeek(parts.Today, day, 2),
                "下" => DatePhraseResolver.WeekdayOfWeek(parts.Today, day, 1),
                "上" => DatePhraseResolver.WeekdayOfWeek(parts.Today, day, -1),
                "这" or "本" => DatePhraseResolver.WeekdayOfWeek(parts.Today, day, 0),
                _ => DatePhraseResolver.Upcoming(parts.Today, day),
            };
        });
        First(parts, Period(), m => parts.Date = m.Value switch
        {
            "月底" => new DateOnly(parts.Today.Year, parts.Today.Month, DateTime.DaysInMonth(parts.Today.Year, parts.Today.Month)),
            _ when m.Value.EndsWith('月') => new DateOnly(parts.Today.Year, parts.Today.Month, 1).AddMonths(1),
            _ => DatePhraseResolver.WeekdayOfWeek(parts.Today, DayOfWeek.Monday, 1),
        });
        First(parts, MonthDay(), m => parts.Date = DatePhraseResolver.MonthDay(
            parts.Today, (int)Number(m.Groups["m"].Value), (int)Number(m.Groups["d"].Value), m.Groups["y"].Success ? int.Parse(m.Groups["y"].Value, CultureInfo.InvariantCulture) : null));
        First(parts, DayOfMonth(), m =>
        {
            if ((int)Number(m.Groups["d"].Value) is >= 1 and <= 31 and var day)
            {
                parts.Date = DatePhraseResolver.NextDayOfMonth(parts.Today, day);
            }
        });
        First(parts, Clock(), m =>
        {
            SetPart(parts, m.Groups["p"].Value);
            parts.Hour = (int)Number(m.Groups["h"].Value);
            parts.Minute = m.Groups["half"].Success ? 30
                : m.Groups["q"].Success ? (m.Groups["q"].Value[0] == '一' ? 15 : 45)
                : m.Groups["mi"].Success ? (int)Number(m.Groups["mi"].Value) : 0;
        });
        First(parts, DayPartWord(), m => SetPart(parts, m.Value));
    }

    /// <summary>A number in digits or Chinese numerals up to 99 (十 10, 十一 11, 二十 20, 两 2).</summary>
    internal static double Number(string text)
    {
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var n))
        {
            return n;
        }

        static int Digit(char c) => "零一二三四五六七八九".IndexOf(c, StringComparison.Ordinal) is var i and >= 0 ? i : c switch
        {
            '〇' => 0,
            '两' => 2,
            _ => throw new FormatException($"'{c}' is not a Chinese numeral."),
        };

        var ten = text.IndexOf('十', StringComparison.Ordinal);
        if (ten < 0)
        {
            return text.Aggregate(0, (value, c) => value * 10 + Digit(c));
        }

        var tens = ten == 0 ? 1 : Digit(text[ten - 1]);
        var units = ten == text.Length - 1 ? 0 : Digit(text[ten + 1]);
        return tens * 10 + units;
    }

    private static void SetPart(DateParts parts, string word)
    {
        if (word.Length == 0)
        {
            return;
        }

        parts.Part = word switch
        {
            "凌晨" => DayPart.EarlyMorning,
            "早上" or "早晨" or "上午" or "早" => DayPart.Morning,
            "中午" => DayPart.Noon,
            "下午" => DayPart.Afternoon,
            "傍晚" => DayPart.Evening,
            _ => DayPart.Night,
        };
    }

    private static void First(DateParts parts, Regex regex, Action<Match> apply)
    {
        foreach (Match m in regex.Matches(parts.Text))
        {
            if (parts.Claim(m.Index, m.Length))
            {
                apply(m);
                return;
            }
        }
    }

    [GeneratedRegex(@"(?:(?<n>" + Numeral + @")\s*个?\s*(?<half>半)?|(?<n>半)\s*个?)\s*(?<u>小时|钟头|分钟|分|天|日|星期|礼拜|周|月)\s*(?:后|以后|之后)", RegexOptions.CultureInvariant)]
    private static partial Regex Relative();

    [GeneratedRegex("大后天|后天|今天|今日|今晚|今早|明天|明日|明晚|明早|昨天", RegexOptions.CultureInvariant)]
    private static partial Regex NamedDay();

    [GeneratedRegex(@"(?<mod>下下|下|这|本|上)?个?(?:周|星期|礼拜)(?<d>[" + Weekdays + "])", RegexOptions.CultureInvariant)]
    private static partial Regex Weekday();

    [GeneratedRegex("下个?(?:周|星期|礼拜|月)|月底", RegexOptions.CultureInvariant)]
    private static partial Regex Period();

    [GeneratedRegex(@"(?:(?<y>\d{4})年)?(?<m>" + Numeral + @")月(?<d>" + Numeral + @")[日号號]", RegexOptions.CultureInvariant)]
    private static partial Regex MonthDay();

    [GeneratedRegex(@"(?<d>" + Numeral + @")[号號]", RegexOptions.CultureInvariant)]
    private static partial Regex DayOfMonth();

    [GeneratedRegex(@"(?<p>凌晨|早上|早晨|上午|中午|下午|傍晚|晚上|夜里)?\s*(?<h>" + Numeral + @")\s*(?:点|點|时|:)\s*(?:(?<half>半)|(?<q>一刻|三刻)|(?<mi>[0-9]{2}|[零一二三四五六七八九十]{1,3})\s*分?)?", RegexOptions.CultureInvariant)]
    private static partial Regex Clock();

    [GeneratedRegex("凌晨|早上|早晨|上午|中午|下午|傍晚|晚上|夜里", RegexOptions.CultureInvariant)]
    private static partial Regex DayPartWord();
}
