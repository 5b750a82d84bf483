namespace Parley.Benchmarks;

/// <summary>What the benchmarks share: where the CLINC150 data is, the machine's load, and simple statistics.</summary>
internal static class BenchmarkEnvironment
{
    /// <summary>The 1, 5 and 15 minute load averages (Linux), or "n/a".</summary>
    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    /// <summary>
    /// <c>data_full.json</c> of CLINC150: <paramref name="path"/> (the file, or the folder holding it), or else
    /// <c>../shared/data/clinc150</c> next to the repository root.
    /// </summary>
    public static string FindClinc(string? path = null)
    {
        if (path is not null)
        {
            return Directory.Exists(path) ? Path.Combine(path, "data_full.json") : path;
        }

        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Parley.slnx")))
            {
                var candidate = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "data", "clinc150", "data_full.json"));
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        throw new FileNotFoundException("CLINC150 data_full.json not found next to the repository; pass --data PATH");
    }

    /// <summary>The nearest-rank percentile (0–100) of <paramref name="values"/>.</summary>
    public static double Percentile(double[] values, double percentile)
    {
        var sorted = values.Order().ToArray();
        var rank = (int)Math.Ceiling(percentile / 100 * sorted.Length) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Length - 1)];
    }

    /// <summary>The median of <paramref name="values"/>.</summary>
    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
