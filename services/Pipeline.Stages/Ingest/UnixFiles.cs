using System.Runtime.InteropServices;
using System.Text;
using System.Text.Unicode;
using Microsoft.Win32.SafeHandles;

namespace Pipeline.Stages.Ingest;

/// <summary>
/// What .NET does not tell about a file on Linux, from libc: its type and number of names (<c>statx</c>, whose
/// layout is the same on every architecture), whether any process has it open for writing (a read lease), and the
/// bytes of names that are not UTF-8 (<c>readdir</c>), which .NET turns into U+FFFD and then cannot find. Elsewhere
/// nothing is known: a file counts as regular, with one name and no writer.
/// </summary>
internal static partial class UnixFiles
{
    private const int AtCurrentDirectory = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint StatxTypeModeAndLinks = 0x1 | 0x2 | 0x4;
    private const int FileTypeMask = 0xF000;
    private const int RegularFile = 0x8000;
    private const int SetLease = 1024;
    private const int SetSignal = 10;
    private const int ReadLease = 0;
    private const int NoLease = 2;
    private const int UrgentSignal = 23; // SIGURG: ignored unless handled; a lease broken while held must not end the process.
    private const uint RenameNoReplace = 1;
    private const int NameOffset = 19; // d_name in struct dirent64: after d_ino, d_off (8 bytes each), d_reclen, d_type.
    private const int ErrorNoEntry = 2;
    private const int ErrorWouldBlock = 11;
    private const int ErrorExists = 17;
    private const int ErrorInvalid = 22;

    /// <summary>The file's type (null for a regular file) and number of names, from the entry itself, never a link's target.</summary>
    public static (string? NotRegular, long Names) Status(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            return (null, 1);
        }

        if (Statx(AtCurrentDirectory, path, AtSymlinkNoFollow, StatxTypeModeAndLinks, out var status) != 0)
        {
            var message = $"{Path.GetFileName(path)}: {Marshal.GetLastPInvokeErrorMessage()}";
            throw Marshal.GetLastPInvokeError() == ErrorNoEntry ? new FileNotFoundException(message, path) : new IOException(message);
        }

        var type = status.Mode & FileTypeMask; // S_IFMT, and below the S_IF* values it takes
        var notRegular = type == RegularFile ? null : type switch
        {
            0x1000 => "FIFO",
            0x2000 => "character device",
            0x4000 => "folder",
            0x6000 => "block device",
            0xA000 => "symbolic link",
            0xC000 => "socket",
            _ => $"file type {type:x}",
        };
        return (notRegular, status.Links);
    }

    /// <summary>
    /// Whether some process has the file open for writing: the kernel grants a read lease only when none has. Unknown
    /// (false) where leases are refused: a file of another user without CAP_LEASE, a network file system.
    /// </summary>
    public static bool IsOpenForWriting(SafeFileHandle readOnly)
    {
        if (!OperatingSystem.IsLinux() || Fcntl(readOnly, SetSignal, UrgentSignal) != 0)
        {
            return false;
        }

        if (Fcntl(readOnly, SetLease, ReadLease) == 0)
        {
            _ = Fcntl(readOnly, SetLease, NoLease);
            return false;
        }

        return Marshal.GetLastPInvokeError() == ErrorWouldBlock;
    }

    /// <summary>The names in a folder that are not UTF-8, as their bytes.</summary>
    public static IReadOnlyList<byte[]> UndecodableNames(string folder)
    {
        var names = new List<byte[]>();
        if (!OperatingSystem.IsLinux())
        {
            return names;
        }

        var directory = OpenDirectory(folder);
        if (directory == 0)
        {
            throw new IOException($"{folder}: {Marshal.GetLastPInvokeErrorMessage()}");
        }

        try
        {
            for (nint entry; (entry = ReadDirectory(directory)) != 0;)
            {
                var name = NameOf(entry);
                if (!Utf8.IsValid(name))
                {
                    names.Add(name.ToArray());
                }
            }
        }
        finally
        {
            _ = CloseDirectory(directory);
        }

        return names;
    }

    /// <summary>Renames an entry of the folder, given by the bytes of its name, never over another; false when the target exists.</summary>
    public static bool Rename(string folder, byte[] name, string target)
    {
        byte[] source = [.. Encoding.UTF8.GetBytes(folder + Path.DirectorySeparatorChar), .. name, 0];
        if (Renameat2(AtCurrentDirectory, source, AtCurrentDirectory, target, RenameNoReplace) == 0)
        {
            return true;
        }

        var error = Marshal.GetLastPInvokeError();
        if (error == ErrorInvalid && !Path.Exists(target) && Renameat2(AtCurrentDirectory, source, AtCurrentDirectory, target, 0) == 0)
        {
            return true; // A file system without RENAME_NOREPLACE (NFS): the target was looked for just before.
        }

        return error == ErrorExists ? false : throw new IOException($"{Escaped(name)}: {Marshal.GetLastPInvokeErrorMessage()}");
    }

    /// <summary>A name for a log line: printable ASCII as it is, every other byte as <c>\xNN</c>.</summary>
    public static string Escaped(byte[] name) =>
        string.Concat(name.Select(b => b is >= 0x20 and < 0x7F ? ((char)b).ToString() : $"\\x{b:X2}"));

    private static unsafe ReadOnlySpan<byte> NameOf(nint entry) =>
        MemoryMarshal.CreateReadOnlySpanFromNullTerminated((byte*)entry + NameOffset);

    [StructLayout(LayoutKind.Explicit, Size = 256)]
    private struct StatxResult
    {
        [FieldOffset(16)]
        public uint Links;

        [FieldOffset(28)]
        public ushort Mode;
    }

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Statx(int directory, string path, int flags, uint mask, out StatxResult status);

    [LibraryImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    private static partial int Fcntl(SafeFileHandle file, int command, int argument);

    [LibraryImport("libc", EntryPoint = "renameat2", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Renameat2(int fromDirectory, byte[] from, int toDirectory, string to, uint flags);

    [LibraryImport("libc", EntryPoint = "opendir", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial nint OpenDirectory(string path);

    [LibraryImport("libc", EntryPoint = "readdir64")]
    private static partial nint ReadDirectory(nint directory);

    [LibraryImport("libc", EntryPoint = "closedir")]
    private static partial int CloseDirectory(nint directory);
}
