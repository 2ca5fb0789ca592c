using System;
using System.IO;
using System.Linq;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

/// <summary>
/// Marks one GLIBCXX version need of ELF64 shared libraries as weak (VER_FLG_WEAK in .gnu.version_r), so
/// they load on a machine whose libstdc++ lacks that version. TorchSharp's libLibTorchSharp.so needs
/// GLIBCXX_3.4.32 only through a marker symbol no relocation uses. Runs only when the machine's libstdc++
/// lacks the version; edits the build output's copy after breaking any hard link, never the package cache.
/// </summary>
public class WeakenGlibcxxRequirement : Task
{
    private const uint VersionNeedSection = 0x6ffffffe; // SHT_GNU_verneed
    private const ushort WeakFlag = 2;                  // VER_FLG_WEAK

    [Required] public ITaskItem[] Files { get; set; }
    [Required] public string Version { get; set; }

    private static readonly string[] LibraryDirs =
        { "/usr/lib/x86_64-linux-gnu", "/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib64", "/usr/lib", "/lib64", "/lib" };

    public override bool Execute()
    {
        var libstdcxx = LibraryDirs.Select(d => Path.Combine(d, "libstdc++.so.6")).FirstOrDefault(File.Exists);
        if (libstdcxx == null)
        {
            Log.LogMessage(MessageImportance.Low, "No libstdc++.so.6 found in the usual places; TorchSharp's native library is left as it is.");
            return true;
        }
        if (Contains(File.ReadAllBytes(libstdcxx), Encoding.ASCII.GetBytes(Version + "\0")))
        {
            Log.LogMessage(MessageImportance.Low, libstdcxx + " provides " + Version + "; nothing to patch.");
            return true;
        }
        foreach (var item in Files)
        {
            var path = item.ItemSpec;
            var bytes = File.ReadAllBytes(path);
            int changed;
            try { changed = Weaken(bytes, Version); }
            catch (Exception e) when (e is ArgumentException || e is IndexOutOfRangeException || e is InvalidDataException)
            {
                Log.LogError(path + ": cannot read its ELF version needs (" + e.Message + ").");
                return false;
            }
            if (changed == 0) continue;
            // Write a new file and move it over the old one: a hard link into the package cache is broken, not written through.
            var temp = path + ".weakening";
            File.WriteAllBytes(temp, bytes);
            File.Delete(path);
            File.Move(temp, path);
            Log.LogMessage(MessageImportance.High, "Marked the " + Version + " need of " + path + " weak (" + libstdcxx + " lacks it).");
        }
        return true;
    }

    /// <summary>Sets the weak flag on every version need named <paramref name="version"/>; returns how many changed.</summary>
    public static int Weaken(byte[] elf, string version)
    {
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != 'E' || elf[2] != 'L' || elf[3] != 'F')
            throw new InvalidDataException("not an ELF file");
        if (elf[4] != 2 || elf[5] != 1) throw new InvalidDataException("not a little-endian ELF64 file");
        var sectionTable = (long)BitConverter.ToUInt64(elf, 0x28);
        var entrySize = BitConverter.ToUInt16(elf, 0x3A);
        var count = BitConverter.ToUInt16(elf, 0x3C);
        var changed = 0;
        for (var i = 0; i < count; i++)
        {
            var header = sectionTable + (long)i * entrySize;
            if (BitConverter.ToUInt32(elf, (int)header + 4) != VersionNeedSection) continue;
            var offset = (long)BitConverter.ToUInt64(elf, (int)header + 0x18);
            var link = BitConverter.ToUInt32(elf, (int)header + 0x28);
            var needs = BitConverter.ToUInt32(elf, (int)header + 0x2C);
            var strings = (long)BitConverter.ToUInt64(elf, (int)(sectionTable + link * entrySize) + 0x18);
            var need = offset;
            for (var n = 0; n < needs; n++)
            {
                var auxCount = BitConverter.ToUInt16(elf, (int)need + 2);
                var aux = need + BitConverter.ToUInt32(elf, (int)need + 8);
                for (var a = 0; a < auxCount; a++)
                {
                    var name = ReadString(elf, strings + BitConverter.ToUInt32(elf, (int)aux + 8));
                    var flags = BitConverter.ToUInt16(elf, (int)aux + 4);
                    if (name == version && (flags & WeakFlag) == 0)
                    {
                        BitConverter.GetBytes((ushort)(flags | WeakFlag)).CopyTo(elf, (int)aux + 4);
                        changed++;
                    }
                    aux += BitConverter.ToUInt32(elf, (int)aux + 12);
                }
                need += BitConverter.ToUInt32(elf, (int)need + 12);
            }
        }
        return changed;
    }

    private static string ReadString(byte[] elf, long at)
    {
        var end = Array.IndexOf(elf, (byte)0, (int)at);
        return Encoding.ASCII.GetString(elf, (int)at, end - (int)at);
    }

    private static bool Contains(byte[] haystack, byte[] needle)
    {
        for (var i = 0; i <= haystack.Length - needle.Length; i++)
        {
            var j = 0;
            while (j < needle.Length && haystack[i + j] == needle[j]) j++;
            if (j == needle.Length) return true;
        }
        return false;
    }
}
