// `haetae send ROOM TEXT`: one message with a fresh client id, resent with the same id after
// any doubt (no answer, store_unavailable, overloaded) until acknowledged or out of attempts.
#include <boost/json.hpp>
#include <chrono>
#include <cstdio>
#include <thread>

#include "cli/commands.h"
#include "cli/remote.h"
#include "client/client_id.h"
#include "client/outbox.h"
#include "proto/decode.h"

namespace haetae::cli {

int send_main(int argc, char** argv) {
  auto a = args::parse(argc, argv, 2);
  if (!a) return usage_error("send", a.err().text());
  const auto& pos = a->positional();
  if (pos.size() < 2) return usage_error("send", "expected ROOM and TEXT");
  auto room = parse_room_id(pos[0]);
  if (!room) return usage_error("send", room.err().text());
  std::string text = pos[1];
  for (std::size_t i = 2; i < pos.size(); ++i) text += " " + pos[i];
  auto attempts = a->number("attempts", 10, 1, 1000);
  if (!attempts) return usage_error("send", attempts.err().text());

  const std::string client_id = a->get("client-id").value_or(client::client_id_generator().next());
  boost::json::object params{{"room_id", room->value}, {"client_id", client_id}, {"body", text}};
  std::chrono::milliseconds backoff(200);
  for (long long attempt = 1;; ++attempt) {
    auto r = call_as_session(*a, "send", params);
    if (r) {
      auto ack = proto::decode_send_ack(*r);
      if (!ack) return report_error(ack.err());
      std::printf("sent: room %lld seq %lld%s\n", static_cast<long long>(ack->room.value),
                  static_cast<long long>(ack->seq), ack->duplicate ? " (already stored)" : "");
      return 0;
    }
    if (!client::is_retryable(r.code()) || attempt >= *attempts) return report_error(r.err());
    std::this_thread::sleep_for(backoff);
    backoff = std::min(backoff * 2, std::chrono::milliseconds(5000));
  }
}

}  // namespace haetae::cli
