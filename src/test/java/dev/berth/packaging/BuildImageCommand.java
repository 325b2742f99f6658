package dev.berth.packaging;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.LogEvent;
import com.google.cloud.tools.jib.api.RegistryImage;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code scripts/build-image}: builds Berth's container image from the fat jar and a runtime made from the local JDK,
 * and pushes it to a registry with Jib. Prints each step, then {@code pushed REFERENCE@DIGEST}.
 */
@Command(name = "build-image", mixinStandardHelpOptions = true,
        description = {"Builds Berth's container image (a jlinked Java runtime, the system libraries it loads, and the"
                + " fat jar) and pushes it to a registry with Jib.",
                "Example: ./berth serve & scripts/build-image --to 127.0.0.1:5000/berth:dev --insecure"})
public final class BuildImageCommand implements Callable<Integer> {
    @Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--to", required = true, paramLabel = "REFERENCE",
            description = "Where to push, e.g. 127.0.0.1:5000/berth:0.1.0")
    private String to;

    @Option(names = "--jar", paramLabel = "FILE", defaultValue = "${sys:berth.home:-.}/target/berth.jar",
            description = "Berth's fat jar (default: target/berth.jar of the project)")
    private Path jar;

    @Option(names = "--jdk", paramLabel = "DIR", description = "The JDK whose jdeps and jlink make the runtime"
            + " (default: the JDK running this command)")
    private Path jdk;

    @Option(names = "--cache", paramLabel = "DIR", defaultValue = "${sys:berth.home:-.}/target/image-build",
            description = "Keeps the runtime, jdeps' findings and Jib's compressed layers between builds"
                    + " (default: target/image-build of the project)")
    private Path cache;

    @Option(names = "--insecure", description = "The registry may speak plain HTTP or have a certificate that does"
            + " not verify (as a Berth without TLS does)")
    private boolean insecure;

    @Option(names = "--username", paramLabel = "NAME", description = "Push as this user (Basic authentication)")
    private String username;

    @Option(names = "--password-stdin", description = "Read the user's password from the first line of standard input")
    private boolean passwordStdin;

    private final InputStream in;

    /** A command reading a password, when asked to, from {@code in}. */
    public BuildImageCommand(InputStream in) {
        this.in = in;
    }

    /** Runs the command line and exits with its code. */
    public static void main(String[] args) {
        System.exit(run(args, System.in, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the command line and returns its exit code: 0 once the image is pushed. */
    public static int run(String[] args, InputStream in, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new BuildImageCommand(in));
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler(BuildImageCommand::report);
        int code = cli.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (passwordStdin != (username != null)) {
            err.println("build-image: --username and --password-stdin go together");
            return CommandLine.ExitCode.USAGE;
        }
        long started = System.nanoTime();
        // The reference is checked first: a typo should not cost a jdeps run.
        RegistryImage target = RegistryImage.named(to);
        Path cacheDir = Files.createDirectories(cache.toAbsolutePath().normalize());
        Jdk builder = Jdk.at(jdk != null ? jdk : Path.of(System.getProperty("java.home")));
        BerthJar berth = BerthJar.at(jar);
        out.println("build-image: Berth " + berth.version() + " from " + berth.path() + ", runtime from Java "
                + builder.version() + " at " + builder.home());
        RuntimeModules modules = RuntimeModules.forJar(builder, berth.path(), cacheDir, out::println);
        JlinkRuntime runtime = JlinkRuntime.in(cacheDir, builder, modules, out::println);
        NativeLibraries libraries = NativeLibraries.of(runtime.home());
        out.println("libraries: " + libraries.paths());
        BerthImage image = new BerthImage(runtime, libraries, berth, cacheDir.resolve("files"));

        if (username != null) {
            String password = readPassword();
            if (insecure) {
                // Jib refuses to send credentials over plain HTTP unless told it may; --insecure is that consent.
                System.setProperty("sendCredentialsOverHttp", "true");
            }
            target.addCredential(username, password);
        }
        Containerizer containerizer = Containerizer.to(target)
                .setAllowInsecureRegistries(insecure)
                .setBaseImageLayersCache(cacheDir.resolve("jib/base"))
                .setApplicationLayersCache(cacheDir.resolve("jib/layers"))
                .setToolName("berth-build-image")
                .addEventHandler(LogEvent.class, event -> {
                    if (shows(event)) {
                        out.println("jib: " + event.getMessage());
                    }
                });
        JibContainer pushed = image.plan().containerize(containerizer);
        out.println("pushed " + pushed.getTargetImage() + "@" + pushed.getDigest() + " (image id "
                + pushed.getImageId() + ") in " + (System.nanoTime() - started) / 1_000_000 + " ms");
        return CommandLine.ExitCode.OK;
    }

    /** Errors, warnings and Jib's summary; with --insecure, not its notes on falling back from HTTPS to HTTP. */
    private boolean shows(LogEvent event) {
        String message = event.getMessage();
        if (message.isBlank() || event.getLevel().compareTo(LogEvent.Level.LIFECYCLE) > 0) {
            return false;
        }
        return !(insecure && event.getLevel() == LogEvent.Level.WARN
                && (message.startsWith("Cannot verify server at ") || message.endsWith("Attempting again with HTTP.")));
    }

    /** A failure as one line per cause, the way the berth command reports errors, rather than a stack trace. */
    private static int report(Exception failure, CommandLine cli, CommandLine.ParseResult parsed) {
        StringBuilder message = new StringBuilder("build-image: failed: ");
        Throwable cause = failure;
        String previous = null;
        while (cause != null) {
            String text = cause.getMessage() != null ? cause.getMessage().strip() : cause.getClass().getSimpleName();
            // Jib wraps one failure in several exceptions that repeat its message.
            if (!text.equals(previous)) {
                message.append(previous == null ? "" : "\n  caused by: ").append(text);
            }
            previous = text;
            cause = cause.getCause();
        }
        cli.getErr().println(message);
        return 1;
    }

    private String readPassword() throws java.io.IOException {
        String line = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).readLine();
        if (line == null || line.isEmpty()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--password-stdin: standard input is empty");
        }
        return line;
    }
}
