using System.Globalization;
using System.Runtime.InteropServices;

namespace Parley.Protocol.Unicode;

/// <summary>
/// The system's ICU (libicuuc and libicui18n), found once per process: the same library .NET
/// itself uses for globalization on Linux. Its C symbols carry the major version
/// (<c>u_strFoldCase_72</c>), so the functions are resolved by name here rather than through
/// <c>LibraryImport</c>, whose entry points are fixed at compile time.
/// </summary>
internal sealed unsafe class IcuLibrary
{
    // ICU has numbered its major versions since 49; probing from high to low takes the newest
    // installed, as .NET's own ICU loader does
    private const int NewestVersionProbed = 150;
    private const int OldestVersionProbed = 50;

    private static readonly Lazy<IcuLibrary> s_instance = new(Load);

    private IcuLibrary(int version, IntPtr common, IntPtr i18n)
    {
        Version = version;
        FoldCase = (delegate* unmanaged<char*, int, char*, int, uint, int*, int>)Export(common, "u_strFoldCase", version);
        GetScript = (delegate* unmanaged<int, int*, int>)Export(common, "uscript_getScript", version);
        HasBinaryProperty = (delegate* unmanaged<int, int, sbyte>)Export(common, "u_hasBinaryProperty", version);
        GetIntPropertyValue = (delegate* unmanaged<int, int, int>)Export(common, "u_getIntPropertyValue", version);
        GetSkeleton = (delegate* unmanaged<IntPtr, uint, char*, int, char*, int, int*, int>)Export(i18n, "uspoof_getSkeleton", version);
        var openSpoofChecker = (delegate* unmanaged<int*, IntPtr>)Export(i18n, "uspoof_open", version);
        int status = 0;
        // opened once and never closed: it lives as long as the process, and ICU documents
        // uspoof_getSkeleton (it takes a const checker) as safe to call from several threads at once
        SpoofChecker = openSpoofChecker(&status);
        if (status > 0 || SpoofChecker == IntPtr.Zero)
        {
            throw new InvalidOperationException($"ICU {version} could not open its spoof checker (UErrorCode {status}).");
        }
    }

    /// <summary>The loaded ICU, resolved on first use; throws if the system has none.</summary>
    public static IcuLibrary Instance => s_instance.Value;

    /// <summary>ICU's major version, the suffix of its symbols.</summary>
    public int Version { get; }

    /// <summary><c>u_strFoldCase(dest, destCapacity, src, srcLength, options, status)</c>.</summary>
    public delegate* unmanaged<char*, int, char*, int, uint, int*, int> FoldCase { get; }

    /// <summary><c>uscript_getScript(codePoint, status)</c>.</summary>
    public delegate* unmanaged<int, int*, int> GetScript { get; }

    /// <summary><c>u_hasBinaryProperty(codePoint, property)</c>.</summary>
    public delegate* unmanaged<int, int, sbyte> HasBinaryProperty { get; }

    /// <summary><c>u_getIntPropertyValue(codePoint, property)</c>.</summary>
    public delegate* unmanaged<int, int, int> GetIntPropertyValue { get; }

    /// <summary><c>uspoof_getSkeleton(checker, type, id, length, dest, destCapacity, status)</c>.</summary>
    public delegate* unmanaged<IntPtr, uint, char*, int, char*, int, int*, int> GetSkeleton { get; }

    /// <summary>The process's one <c>USpoofChecker</c>.</summary>
    public IntPtr SpoofChecker { get; }

    private static IcuLibrary Load()
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("Parley's name rules need ICU, which it finds on Linux only (libicuuc.so.N).");
        }
        for (var version = NewestVersionProbed; version >= OldestVersionProbed; version--)
        {
            if (NativeLibrary.TryLoad(Library("libicuuc", version), out var common))
            {
                if (!NativeLibrary.TryLoad(Library("libicui18n", version), out var i18n))
                {
                    throw new DllNotFoundException(
                        $"ICU {version} is incomplete: {Library("libicuuc", version)} was found but not {Library("libicui18n", version)}.");
                }
                return new IcuLibrary(version, common, i18n);
            }
        }
        throw new DllNotFoundException(
            $"ICU was not found: no libicuuc.so.N for N from {OldestVersionProbed} to {NewestVersionProbed}. "
            + "Parley's name rules need it: install the system's ICU package (Debian 12: libicu72).");
    }

    private static string Library(string name, int version) => string.Create(CultureInfo.InvariantCulture, $"{name}.so.{version}");

    // a distribution may build ICU without version suffixes: the plain name is the fallback
    private static IntPtr Export(IntPtr library, string function, int version) =>
        NativeLibrary.TryGetExport(library, string.Create(CultureInfo.InvariantCulture, $"{function}_{version}"), out var address)
            || NativeLibrary.TryGetExport(library, function, out address)
            ? address
            : throw new EntryPointNotFoundException($"ICU {version} has no function {function}_{version} (nor {function}).");
}
