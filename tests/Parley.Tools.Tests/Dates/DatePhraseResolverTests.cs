using Microsoft.Extensions.Time.Testing;
using Parley.Tools.Dates;

namespace Parley.Tools.Tests.Dates;

public sealed class DatePhraseResolverTests
{
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

    // Wednesday 2 December 2026, 13:40 in Berlin.
    private static readonly DateTimeOffset Wednesday = new(2026, 12, 2, 12, 40, 0, TimeSpan.Zero);

    private static DatePhrase Resolve(string text, DateTimeOffset now, TimeZoneInfo zone) =>
        new DatePhraseResolver(new FakeTimeProvider(now)).Resolve(text, zone) ?? throw new Xunit.Sdk.XunitException($"no date found in '{text}'");

    private static string Local(DatePhrase phrase) => phrase.Value.ToString("yyyy-MM-dd HH:mm zzz", System.Globalization.CultureInfo.InvariantCulture);

    [Theory]
    [InlineData("next Tuesday at 3pm", "2026-12-08 15:00 +01:00")]
    [InlineData("tomorrow morning", "2026-12-03 09:00 +01:00")]
    [InlineData("tomorrow at 10", "2026-12-03 10:00 +01:00")]
    [InlineData("book a call with Anna tomorrow at 3", "2026-12-03 15:00 +01:00")]
    [InlineData("friday at 9:30am", "2026-12-04 09:30 +01:00")]
    [InlineData("on Wednesday at 4 pm", "2026-12-02 16:00 +01:00")]
    [InlineData("the day after tomorrow at noon", "2026-12-04 12:00 +01:00")]
    [InlineData("tonight", "2026-12-02 20:00 +01:00")]
    [InlineData("tonight at 9", "2026-12-02 21:00 +01:00")]
    [InlineData("at midnight", "2026-12-03 00:00 +01:00")]
    [InlineData("at 3pm", "2026-12-02 15:00 +01:00")]
    [InlineData("at 11am", "2026-12-03 11:00 +01:00")]
    [InlineData("at 07:30", "2026-12-03 07:30 +01:00")]
    [InlineData("18:45", "2026-12-02 18:45 +01:00")]
    [InlineData("at ten o'clock", "2026-12-03 10:00 +01:00")]
    [InlineData("December 24 at 6pm", "2026-12-24 18:00 +01:00")]
    [InlineData("24th of december 7pm", "2026-12-24 19:00 +01:00")]
    [InlineData("2026-12-25 12:00", "2026-12-25 12:00 +01:00")]
    [InlineData("in 3 days at 5pm", "2026-12-05 17:00 +01:00")]
    [InlineData("in two hours", "2026-12-02 15:40 +01:00")]
    [InlineData("in half an hour", "2026-12-02 14:10 +01:00")]
    [InlineData("45 minutes from now", "2026-12-02 14:25 +01:00")]
    [InlineData("明天下午三点", "2026-12-03 15:00 +01:00")]
    [InlineData("下周二上午十点半", "2026-12-08 10:30 +01:00")]
    [InlineData("周五晚上8点", "2026-12-04 20:00 +01:00")]
    [InlineData("后天中午12点", "2026-12-04 12:00 +01:00")]
    [InlineData("两个小时后", "2026-12-02 15:40 +01:00")]
    [InlineData("一个半小时后", "2026-12-02 15:10 +01:00")]
    [InlineData("今晚", "2026-12-02 20:00 +01:00")]
    [InlineData("明早", "2026-12-03 09:00 +01:00")]
    [InlineData("12月25号下午3点15分", "2026-12-25 15:15 +01:00")]
    [InlineData("明天15:30", "2026-12-03 15:30 +01:00")]
    public void Resolve_PhraseWithTime_GivesTheMomentInTheUsersZone(string text, string expected)
    {
        var phrase = Resolve(text, Wednesday, Berlin);
        Assert.True(phrase.HasTime);
        Assert.Equal(expected, Local(phrase));
    }

    [Theory]
    [InlineData("next Tuesday", "2026-12-08")]
    [InlineData("this Tuesday", "2026-12-08")]
    [InlineData("tuesday", "2026-12-08")]
    [InlineData("wednesday", "2026-12-02")]
    [InlineData("next wednesday", "2026-12-09")]
    [InlineData("sunday", "2026-12-06")]
    [InlineData("next week", "2026-12-07")]
    [InlineData("next month", "2027-01-01")]
    [InlineData("end of the month", "2026-12-31")]
    [InlineData("yesterday", "2026-12-01")]
    [InlineData("January 5", "2027-01-05")]
    [InlineData("on the 1st", "2027-01-01")]
    [InlineData("in a week", "2026-12-09")]
    [InlineData("下周二", "2026-12-08")]
    [InlineData("这周一", "2026-11-30")]
    [InlineData("本周日", "2026-12-06")]
    [InlineData("周二", "2026-12-08")]
    [InlineData("下个月", "2027-01-01")]
    [InlineData("月底", "2026-12-31")]
    [InlineData("3天后", "2026-12-05")]
    [InlineData("大后天", "2026-12-05")]
    public void Resolve_PhraseWithoutTime_GivesTheDay(string text, string expected)
    {
        var phrase = Resolve(text, Wednesday, Berlin);
        Assert.False(phrase.HasTime);
        Assert.True(phrase.HasDate);
        Assert.Equal(expected, phrase.Value.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Resolve_NextVersusThis_OnAMonday_DiffersByAWeek()
    {
        var monday = new DateTimeOffset(2026, 12, 7, 9, 0, 0, TimeSpan.Zero);
        Assert.Equal(new DateTime(2026, 12, 8), Resolve("this tuesday", monday, Berlin).Value.Date);
        Assert.Equal(new DateTime(2026, 12, 15), Resolve("next tuesday", monday, Berlin).Value.Date);
        Assert.Equal(new DateTime(2026, 12, 8), Resolve("这周二", monday, Berlin).Value.Date);
        Assert.Equal(new DateTime(2026, 12, 15), Resolve("下周二", monday, Berlin).Value.Date);
    }

    [Fact]
    public void Resolve_NextWeekdayOnASunday_IsInTheComingWeek()
    {
        var sunday = new DateTimeOffset(2026, 12, 6, 9, 0, 0, TimeSpan.Zero);
        Assert.Equal(new DateTime(2026, 12, 8), Resolve("next tuesday", sunday, Berlin).Value.Date);
        Assert.Equal(new DateTime(2026, 12, 7), Resolve("next monday", sunday, Berlin).Value.Date);
    }

    [Fact]
    public void Resolve_TimeAlreadyPassedToday_IsTomorrow()
    {
        var evening = new DateTimeOffset(2026, 12, 2, 16, 0, 0, TimeSpan.Zero);
        Assert.Equal("2026-12-03 15:00 +01:00", Local(Resolve("at 3pm", evening, Berlin)));
        Assert.Equal("2026-12-02 18:00 +01:00", Local(Resolve("at 6pm", evening, Berlin)));
    }

    [Fact]
    public void Resolve_InTwoHoursAcrossSpringForward_IsTwoHoursOfRealTime()
    {
        // 01:30 EST on 14 March 2027; clocks jump from 02:00 to 03:00.
        var now = new DateTimeOffset(2027, 3, 14, 6, 30, 0, TimeSpan.Zero);
        var phrase = Resolve("in two hours", now, NewYork);
        Assert.Equal(now.AddHours(2), phrase.Value);
        Assert.Equal("2027-03-14 04:30 -04:00", Local(phrase));
    }

    [Fact]
    public void Resolve_InTwoHoursAcrossFallBack_IsTwoHoursOfRealTime()
    {
        // 00:30 EDT on 7 November 2027; clocks fall back from 02:00 to 01:00.
        var now = new DateTimeOffset(2027, 11, 7, 4, 30, 0, TimeSpan.Zero);
        var phrase = Resolve("in 2 hours", now, NewYork);
        Assert.Equal(now.AddHours(2), phrase.Value);
        Assert.Equal("2027-11-07 01:30 -05:00", Local(phrase));
    }

    [Fact]
    public void Resolve_TimeSkippedBySpringForward_MovesPastTheGap()
    {
        var saturday = new DateTimeOffset(2027, 3, 13, 17, 0, 0, TimeSpan.Zero);
        Assert.Equal("2027-03-14 03:30 -04:00", Local(Resolve("tomorrow at 2:30am", saturday, NewYork)));
    }

    [Fact]
    public void Resolve_TimeRepeatedByFallBack_TakesTheFirstOccurrence()
    {
        var saturday = new DateTimeOffset(2027, 11, 6, 17, 0, 0, TimeSpan.Zero);
        var phrase = Resolve("tomorrow at 1:30am", saturday, NewYork);
        Assert.Equal("2027-11-07 01:30 -04:00", Local(phrase));
    }

    [Fact]
    public void Resolve_TomorrowAcrossDstChange_KeepsTheWallClock()
    {
        // Saturday 27 March 2027 in Berlin (CET); Sunday is CEST.
        var saturday = new DateTimeOffset(2027, 3, 27, 9, 0, 0, TimeSpan.Zero);
        Assert.Equal("2027-03-28 09:00 +02:00", Local(Resolve("tomorrow at 9am", saturday, Berlin)));
        Assert.Equal("2027-03-28 09:00 +02:00", Local(Resolve("明天上午9点", saturday, Berlin)));
    }

    [Theory]
    [InlineData("2027-01-31T10:00:00Z", "in a month", "2027-02-28")]
    [InlineData("2028-01-31T10:00:00Z", "in one month", "2028-02-29")]
    [InlineData("2027-02-10T10:00:00Z", "on the 31st", "2027-03-31")]
    [InlineData("2027-04-05T10:00:00Z", "the 31st", "2027-05-31")]
    [InlineData("2027-04-30T10:00:00Z", "on the 30th", "2027-04-30")]
    [InlineData("2028-02-10T10:00:00Z", "end of the month", "2028-02-29")]
    [InlineData("2027-02-10T10:00:00Z", "月底", "2027-02-28")]
    [InlineData("2027-12-31T10:00:00Z", "next month", "2028-01-01")]
    [InlineData("2027-12-31T10:00:00Z", "tomorrow", "2028-01-01")]
    [InlineData("2027-02-28T10:00:00Z", "tomorrow", "2027-03-01")]
    [InlineData("2028-02-28T10:00:00Z", "tomorrow", "2028-02-29")]
    [InlineData("2027-01-31T10:00:00Z", "31号", "2027-01-31")]
    [InlineData("2027-02-01T10:00:00Z", "30号", "2027-03-30")]
    [InlineData("2027-03-01T10:00:00Z", "February 29", "2028-02-29")]
    public void Resolve_AroundMonthEnds_GivesARealDay(string now, string text, string expected) =>
        Assert.Equal(expected, Resolve(text, DateTimeOffset.Parse(now, System.Globalization.CultureInfo.InvariantCulture), Berlin)
            .Value.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));

    [Theory]
    [InlineData("what's the weather in Paris")]
    [InlineData("where is order 10023")]
    [InlineData("what is 17% of 2,340")]
    [InlineData("I have 3 kids")]
    [InlineData("")]
    public void Resolve_NoDatePhrase_ReturnsNull(string text) =>
        Assert.Null(new DatePhraseResolver(new FakeTimeProvider(Wednesday)).Resolve(text, Berlin));

    [Theory]
    [InlineData("book a call with Anna tomorrow at 10", "book a call with Anna")]
    [InlineData("Dentist next Tuesday at 3pm please", "Dentist please")]
    [InlineData("明天下午三点开会", "开会")]
    public void RemoveFrom_Message_LeavesTheRest(string text, string rest) =>
        Assert.Equal(rest, Resolve(text, Wednesday, Berlin).RemoveFrom(text));
}
