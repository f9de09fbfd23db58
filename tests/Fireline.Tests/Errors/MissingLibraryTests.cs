using Fireline.Errors;

namespace Fireline.Tests.Errors;

/// <summary>The runtime's load failures, in each of its wordings (its own, resource keys only), as Fireline's missing-library error.</summary>
public sealed class MissingLibraryTests
{
    [Theory]
    [InlineData("Unable to load DLL 'e_sqlite3' or one of its dependencies: libe_sqlite3.so: cannot open shared object file", "e_sqlite3", "beside the fireline binary")]
    [InlineData("DllNotFound_Linux, e_sqlite3, libe_sqlite3.so: file too short", "e_sqlite3", "beside the fireline binary")]
    [InlineData("Unable to load shared library 'libfoo.so.2'", "libfoo.so.2", "install the package that provides libfoo.so.2")]
    public void A_load_failure_names_the_library_and_how_to_get_it(string runtimeMessage, string library, string remedy)
    {
        // SQLite's fails inside a type initializer, behind reflection.
        var thrown = new TypeInitializationException("Microsoft.Data.Sqlite.SqliteConnection",
            new System.Reflection.TargetInvocationException(new DllNotFoundException(runtimeMessage)));

        var error = MissingLibrary.Explain(thrown);

        Assert.NotNull(error);
        Assert.Equal(("missing-library", ErrorKind.Unavailable), (error.Code, error.Kind));
        Assert.StartsWith($"cannot load {library}: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(remedy, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Any_other_failure_is_not_a_missing_library()
        => Assert.Null(MissingLibrary.Explain(new TypeInitializationException("T", new InvalidOperationException("'quoted'"))));
}
