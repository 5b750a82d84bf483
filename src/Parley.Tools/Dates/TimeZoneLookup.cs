namespace Parley.Tools.Dates;

/// <summary>
/// Finds a time zone from what a user writes: an IANA id ("Europe/Paris"), a city that names one ("Tokyo", "new york"),
/// or one of a few big cities that do not (Beijing, San Francisco, Mumbai, 北京, …).
/// </summary>
public static class TimeZoneLookup
{
    private static readonly Dictionary<string, string> Aliases = new(StringComparer.OrdinalIgnoreCase)
    {
        ["beijing"] = "Asia/Shanghai", ["北京"] = "Asia/Shanghai", ["上海"] = "Asia/Shanghai", ["shenzhen"] = "Asia/Shanghai",
        ["guangzhou"] = "Asia/Shanghai", ["深圳"] = "Asia/Shanghai", ["广州"] = "Asia/Shanghai", ["香港"] = "Asia/Hong_Kong",
        ["东京"] = "Asia/Tokyo", ["伦敦"] = "Europe/London", ["巴黎"] = "Europe/Paris", ["纽约"] = "America/New_York",
        ["柏林"] = "Europe/Berlin", ["悉尼"] = "Australia/Sydney", ["新加坡"] = "Asia/Singapore", ["台北"] = "Asia/Taipei",
        ["san francisco"] = "America/Los_Angeles", ["seattle"] = "America/Los_Angeles", ["washington"] = "America/New_York",
        ["boston"] = "America/New_York", ["miami"] = "America/New_York", ["atlanta"] = "America/New_York",
        ["dallas"] = "America/Chicago", ["houston"] = "America/Chicago", ["austin"] = "America/Chicago",
        ["mumbai"] = "Asia/Kolkata", ["delhi"] = "Asia/Kolkata", ["new delhi"] = "Asia/Kolkata", ["bangalore"] = "Asia/Kolkata",
        ["osaka"] = "Asia/Tokyo", ["kyoto"] = "Asia/Tokyo", ["munich"] = "Europe/Berlin", ["hamburg"] = "Europe/Berlin",
        ["frankfurt"] = "Europe/Berlin", ["barcelona"] = "Europe/Madrid", ["milan"] = "Europe/Rome", ["geneva"] = "Europe/Zurich",
        ["edinburgh"] = "Europe/London", ["manchester"] = "Europe/London", ["rio de janeiro"] = "America/Sao_Paulo",
        ["utc"] = "UTC", ["gmt"] = "UTC",
    };

    // IANA ids are Region/City: a city is tried under each region (enumerating the machine's zones instead takes seconds).
    private static readonly string[] Regions = ["Europe", "America", "Asia", "Africa", "Australia", "Pacific", "Atlantic", "Indian", "America/Argentina", "Antarctica"];

    /// <summary>The time zone of <paramref name="place"/>, or null when it is not known.</summary>
    public static TimeZoneInfo? Find(string? place)
    {
        if (string.IsNullOrWhiteSpace(place))
        {
            return null;
        }

        var name = string.Join(' ', place.Trim().TrimEnd('?', '.', '!').Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        if (Aliases.TryGetValue(name, out var alias))
        {
            return TryFind(alias);
        }

        if (name.Contains('/', StringComparison.Ordinal))
        {
            return TryFind(name);
        }

        if (!name.All(c => char.IsAsciiLetter(c) || c is ' ' or '-' or '\''))
        {
            return null;
        }

        var city = string.Join('_', name.Split(' ').Select(w => w.Length == 0 ? w : char.ToUpperInvariant(w[0]) + w[1..].ToLowerInvariant()));
        return Regions.Select(region => TryFind($"{region}/{city}")).FirstOrDefault(zone => zone is not null);
    }

    private static TimeZoneInfo? TryFind(string id)
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id);
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return null;
        }
    }
}
