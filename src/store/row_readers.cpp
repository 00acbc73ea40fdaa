#include "store/row_readers.hpp"

#include "store/statement_util.hpp"

namespace router::store {

LeadRow read_lead_row(sql::Statement& s, int first) {
  LeadRow row;
  row.id = s.getColumn(first).getString();
  row.source = s.getColumn(first + 1).getString();
  row.attributes = s.getColumn(first + 2).getString();
  row.received_at = time_of(s.getColumn(first + 3));
  row.state = s.getColumn(first + 4).getString();
  row.agent = optional_text(s.getColumn(first + 5));
  row.pool = optional_text(s.getColumn(first + 6));
  row.rule = optional_text(s.getColumn(first + 7));
  row.deadline = optional_time(s.getColumn(first + 8));
  row.attempts = s.getColumn(first + 9).getInt64();
  row.updated_at = optional_time(s.getColumn(first + 10));
  row.touched_at = optional_time(s.getColumn(first + 11));
  return row;
}

OfferRow read_offer_row(sql::Statement& s, int first) {
  return {s.getColumn(first).getInt64(),      s.getColumn(first + 1).getString(),
          s.getColumn(first + 2).getString(), optional_text(s.getColumn(first + 3)),
          time_of(s.getColumn(first + 4)),    optional_time(s.getColumn(first + 5))};
}

}  // namespace router::store
