#pragma once
// The subcommands of the `haetae` binary, one file each. Each returns the process exit code:
// 0 success, 1 the server (or the system) said no, 2 bad arguments.
namespace haetae::cli {

int run(int argc, char** argv);  // dispatch on argv[1]

int signup_main(int argc, char** argv);
int login_main(int argc, char** argv);
int logout_main(int argc, char** argv);
int rooms_main(int argc, char** argv);
int friend_main(int argc, char** argv);
int dm_main(int argc, char** argv);
int send_main(int argc, char** argv);
int follow_main(int argc, char** argv);
int bench_main(int argc, char** argv);
int drill_main(int argc, char** argv);
int cluster_main(int argc, char** argv);
int help_main(int argc, char** argv);

}  // namespace haetae::cli
