fn main() -> std::process::ExitCode {
    peerdesk::cli::main()
}
