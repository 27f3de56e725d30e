using System.Diagnostics;
using System.Globalization;

namespace Pipeline.Benchmarks.EndToEnd;

/// <summary>
/// Waits for the cores to go quiet before a run. A run leaves work behind it (PostgreSQL's checkpoints and
/// autovacuum, the broker's own housekeeping) that would otherwise run during the next one and slow it down.
/// </summary>
internal static class MachineIdle
{
    private const double QuietShare = 0.10;
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    /// <summary>Returns once a one-second window had less than a tenth of the CPU busy, or after 90 s.</summary>
    public static async Task<(TimeSpan Waited, double BusyShare)> WaitAsync()
    {
        var clock = Stopwatch.StartNew();
        double busy;
        do
        {
            var before = Read();
            await Task.Delay(Window);
            var after = Read();
            busy = 1 - (after.Idle - before.Idle) / Math.Max(1, after.Total - before.Total);
        }
        while (busy >= QuietShare && clock.Elapsed < Patience);

        return (clock.Elapsed, busy);
    }

    // The first line of /proc/stat sums all cores: user nice system idle iowait irq softirq steal ... (in ticks).
    private static (double Idle, double Total) Read()
    {
        var fields = File.ReadLines("/proc/stat").First()
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Skip(1)
            .Take(8)
            .Select(f => double.Parse(f, CultureInfo.InvariantCulture))
            .ToArray();
        return (fields[3] + fields[4], fields.Sum());
    }
}
