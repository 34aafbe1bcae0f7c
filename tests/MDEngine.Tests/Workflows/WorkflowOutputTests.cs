namespace MDEngine.Tests.Workflows;

/// <summary>
/// The files <c>eval</c> and <c>relax</c> write, byte for byte, against files the commands wrote before their
/// workflows moved into the library (data/workflows, made with the same arguments on the committed structures and
/// potentials): the runners must not change a digit.
/// </summary>
public class WorkflowOutputTests
{
    private static readonly string Dir = Directory.CreateTempSubdirectory("mdengine-workflows").FullName;

    private static string Repo(string relative) => RepositoryFiles.Find(relative);

    public static TheoryData<string, string[]> Cases => new()
    {
        { "eval_si.extxyz", ["eval", Repo("structures/Si_diamond.cif"), "--potential", Repo("potentials/Si_StillingerWeber85.sw"), "-o"] },
        { "eval_cu_al.extxyz", ["eval", Repo("structures/Cu_vacancy.extxyz"), Repo("structures/Al_fcc.vasp"),
            "--potential", Repo("potentials/CuAgAuNiPdPtAl_Zhou04.eam.alloy"), "-o"] },
        { "relax_cu_vacancy.extxyz", ["relax", Repo("structures/Cu_vacancy.extxyz"), "--potential", Repo("potentials/Cu_Zhou04.eam.alloy"),
            "--fix", "0,1", "--output"] },
        { "relax_si.cif", ["relax", Repo("structures/Si_diamond.cif"), "--potential", Repo("potentials/Si_StillingerWeber85.sw"),
            "--cell", "--pressure", "1", "--keep-symmetry", "--optimizer", "bfgs", "--output"] },
        { "relax_al_cu_cell.extxyz", ["relax", Repo("structures/Al_fcc.vasp"), Repo("structures/Cu_vacancy.extxyz"),
            "--potential", Repo("potentials/CuAgAuNiPdPtAl_Zhou04.eam.alloy"), "--cell", "--optimizer", "fire", "--output"] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_written_file_is_byte_identical_to_the_committed_one(string expected, string[] arguments)
    {
        string output = Path.Combine(Dir, expected);
        var (code, _, error) = CliHarness.Run([.. arguments, output]);
        Assert.True(code == 0, error);
        Assert.Equal(File.ReadAllBytes(ReferenceData.PathOf("workflows", expected)), File.ReadAllBytes(output));
    }
}
