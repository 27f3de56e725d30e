using System.Globalization;

namespace Pipeline.Benchmarks.EndToEnd;

/// <summary>What Linux's /proc says of a process: CPU seconds used so far, resident memory now and at its peak.</summary>
internal readonly record struct ProcessStats(double CpuSeconds, long ResidentBytes, long PeakResidentBytes)
{
    private static readonly double TicksPerSecond = 100; // USER_HZ, 100 on every Linux architecture .NET runs on

    public static ProcessStats Of(int pid)
    {
        // Fields after the command name (which may hold spaces, so split after its closing parenthesis):
        // state is field 3 of stat(5); utime and stime are fields 14 and 15.
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var cpu = (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / TicksPerSecond;
        long rss = 0, peak = 0;
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                rss = Kilobytes(line);
            }
            else if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                peak = Kilobytes(line);
            }
        }

        return new ProcessStats(cpu, rss, peak);
    }

    /// <summary>CPU seconds of every process whose command name is <paramref name="command"/> (the broker's, the database's).</summary>
    public static double CpuSecondsOfAll(string command)
    {
        var total = 0.0;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
            {
                continue;
            }

            try
            {
                if (File.ReadAllText(Path.Combine(dir, "comm")).Trim() == command)
                {
                    total += Of(pid).CpuSeconds;
                }
            }
            catch (IOException)
            {
                // The process ended while being read.
            }
        }

        return total;
    }

    private static long Kilobytes(string line) =>
        1024 * long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
}
